/* fuzz-sse.c: the prompt helper's server-sent event lines, as Gemini and
 * an OpenAI-compatible chat send them (their text and their token counts):
 * every line of the input, both ways. */
#include "config.h"

#include "fuzz-common.h"
#include "px-prompt-helper.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = px_fuzz_string (data, size);
  g_auto(GStrv) lines = g_strsplit_set (text, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    for (int gemini = 0; gemini < 2; gemini++)
      {
        g_autoptr(GError) error = NULL;
        gboolean done = FALSE;
        g_autofree char *added = px_prompt_helper_parse_line (lines[i], gemini, &done, &error);
        gint64 input = -1, output = -1;

        g_assert_true (added == NULL || error == NULL);
        if (px_prompt_helper_parse_usage (lines[i], gemini, &input, &output))
          g_assert_true (input != -1 && output != -1);
      }

  return 0;
}
