/* px-problem-banner.c: the banner a page shows when its work paused by
 * itself (the account, the key, the model, a long rate limit): the
 * provider's words and the next step, "Update Key…" where a key would mend
 * it, and "Resume". It only says; the page does (signals "update-key" and
 * "resume"). libadwaita 1.2 has no AdwBanner. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-problem-banner.h"

struct _PxProblemBanner
{
  GtkWidget    parent_instance;

  GtkRevealer *revealer;
  GtkLabel    *label;
  GtkButton   *key_button;
  GtkButton   *resume_button;
  GtkButton   *replace_button;
};

G_DEFINE_FINAL_TYPE (PxProblemBanner, px_problem_banner, GTK_TYPE_WIDGET)

enum {
  UPDATE_KEY,
  RESUME,
  REPLACE_MODEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
px_problem_banner_new (void)
{
  return g_object_new (PX_TYPE_PROBLEM_BANNER, NULL);
}

void
px_problem_banner_show (PxProblemBanner *self,
                        const char      *message,
                        gboolean         offer_key)
{
  g_return_if_fail (PX_IS_PROBLEM_BANNER (self));

  gtk_label_set_text (self->label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->key_button), offer_key);
  gtk_widget_set_visible (GTK_WIDGET (self->replace_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), TRUE);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

/* The model is retired: go on with its successor (Resume alone would meet
 * the same answer). */
void
px_problem_banner_offer_model (PxProblemBanner *self,
                               const char      *model_name)
{
  g_autofree char *label = NULL;

  g_return_if_fail (PX_IS_PROBLEM_BANNER (self));

  label = g_strdup_printf (_("_Use %s"), model_name);
  gtk_button_set_label (self->replace_button, label);
  gtk_widget_set_visible (GTK_WIDGET (self->replace_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), FALSE);
}

void
px_problem_banner_hide (PxProblemBanner *self)
{
  g_return_if_fail (PX_IS_PROBLEM_BANNER (self));

  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  gtk_label_set_text (self->label, "");
}

/* The message shown, or NULL when hidden. */
const char *
px_problem_banner_get_message (PxProblemBanner *self)
{
  g_return_val_if_fail (PX_IS_PROBLEM_BANNER (self), NULL);

  return gtk_revealer_get_reveal_child (self->revealer) ? gtk_label_get_text (self->label) : NULL;
}

static void
on_key_clicked (PxProblemBanner *self)
{
  g_signal_emit (self, signals[UPDATE_KEY], 0);
}

static void
on_resume_clicked (PxProblemBanner *self)
{
  g_signal_emit (self, signals[RESUME], 0);
}

static void
on_replace_clicked (PxProblemBanner *self)
{
  g_signal_emit (self, signals[REPLACE_MODEL], 0);
}

static void
px_problem_banner_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PX_TYPE_PROBLEM_BANNER);

  G_OBJECT_CLASS (px_problem_banner_parent_class)->dispose (object);
}

static void
px_problem_banner_class_init (PxProblemBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_problem_banner_dispose;

  signals[UPDATE_KEY] = g_signal_new ("update-key", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REPLACE_MODEL] = g_signal_new ("replace-model", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RESUME] = g_signal_new ("resume", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-problem-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, PxProblemBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, PxProblemBanner, label);
  gtk_widget_class_bind_template_child (widget_class, PxProblemBanner, key_button);
  gtk_widget_class_bind_template_child (widget_class, PxProblemBanner, resume_button);
  gtk_widget_class_bind_template_child (widget_class, PxProblemBanner, replace_button);
  gtk_widget_class_bind_template_callback (widget_class, on_replace_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_key_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_resume_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
}

static void
px_problem_banner_init (PxProblemBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
