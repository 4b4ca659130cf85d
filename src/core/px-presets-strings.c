/* px-presets-strings.c: the presets' names, categories and descriptions,
 * which live in px-presets.json, written out once more so xgettext finds
 * them for translators (gettext cannot read JSON). test-templates checks
 * that every string of the JSON is here. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-templates.h"

static const char * const strings[] = {
  N_("AI Image"),
  N_("General"),
  N_("A free prompt: describe anything."),
  N_("Professional Headshot"),
  N_("Portraits"),
  N_("A studio headshot for a profile or a team page."),
  N_("Action Figure: Blister Pack"),
  N_("Action Figure"),
  N_("The person as a toy in a blister pack with accessories."),
  N_("Action Figure: Collector Edition"),
  N_("A premium collector's box with a window and a numbered badge."),
  N_("Action Figure: Trading Card"),
  N_("A holographic trading card with stats."),
  N_("Ghibli Style"),
  N_("Art Styles"),
  N_("Hand-painted animation look, warm and calm."),
  N_("Cartoon Style"),
  N_("Bold outlines and flat bright colours."),
  N_("Meme Generator"),
  N_("Fun"),
  N_("A picture with top and bottom captions drawn on your computer."),
  N_("Pixel Art"),
  N_("16-bit game sprite look."),
  N_("Watercolour Portrait"),
  N_("A loose watercolour painting of a person."),
  N_("Product Photo"),
  N_("Business"),
  N_("A clean e-commerce shot."),
  N_("Sticker"),
  N_("A die-cut sticker with a transparent background."),
  N_("Vintage Travel Poster"),
  N_("Mid-century travel poster with a title."),
  N_("Superhero Portrait"),
  N_("The person as a comic-book hero."),
  N_("3D Clay Figure"),
  N_("A cute claymation-style figurine."),
  N_("Colouring Book Page"),
  N_("Black outlines on white, ready to print."),
  N_("Profile Banner"),
  N_("A wide banner for a profile page."),
  NULL
};

const char * const *
px_templates_get_preset_strings (void)
{
  return strings;
}
