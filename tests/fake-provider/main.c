/* pixmerge-fake-provider: the fake provider as a program, for the demo mode
 * and for trying the CLI by hand. Prints its root URL, then serves until
 * killed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#endif

#include <glib-unix.h>

#include "px-fake-provider.h"

static gboolean
on_terminate (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  static int port = 0;
  static int latency = 0;
  static char *key = NULL;
  static int rpm = 0;
  static char *problem = NULL;
  static gboolean plain = FALSE;
  static gboolean small = FALSE;
  static int batch_polls = -1;
  static int batch_failing = 0;
  static char *batch_outcome = NULL;
  static int batch_stall = 0;
  static gboolean batch_log = FALSE;
  static const GOptionEntry options[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free one)", "N" },
    { "key", 0, 0, G_OPTION_ARG_STRING, &key, "Accept only this API key", "KEY" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency, "Delay every answer by N milliseconds", "N" },
    { "rpm", 0, 0, G_OPTION_ARG_INT, &rpm, "The account's limit: requests a minute (default 10000), answered "
      "with 429 and the providers' headers and bodies when exceeded", "N" },
    { "plain-images", 0, 0, G_OPTION_ARG_NONE, &plain, "One picture per size, not one per prompt (cheap: for "
      "benchmarks)", NULL },
    { "account-problem", 0, 0, G_OPTION_ARG_STRING, &problem, "Answer every paid request with this account "
      "problem: revoked-key, no-quota, billing-inactive, not-verified, region, free-tier-zero", "NAME" },
    { "small-images", 0, 0, G_OPTION_ARG_NONE, &small, "Every image at most 64 px a side (for benchmarks)", NULL },
    { "batch-polls", 0, 0, G_OPTION_ARG_INT, &batch_polls, "Gemini batches: polls a new batch runs for before it "
      "ends", "N" },
    { "batch-failing", 0, 0, G_OPTION_ARG_INT, &batch_failing, "Gemini batches: every Nth line fails with the "
      "provider's error", "N" },
    { "batch-outcome", 0, 0, G_OPTION_ARG_STRING, &batch_outcome, "Gemini batches end so: succeeded (default), "
      "failed, expired", "STATE" },
    { "batch-download-stall-ms", 0, 0, G_OPTION_ARG_INT, &batch_stall, "Gemini batches: half of a results file, "
      "then a wait of N milliseconds before the rest", "N" },
    { "log-batches", 0, 0, G_OPTION_ARG_NONE, &batch_log, "Print each Gemini batch made and each results download "
      "on stderr", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(PxFakeProvider) fake = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;

#ifdef __linux__
  /* A test or benchmark that dies must not leave its fake behind. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif

  g_option_context_add_main_entries (context, options, NULL);
  g_option_context_set_summary (context, "Serves the OpenAI, Gemini, Vertex AI Imagen and AUTOMATIC1111 APIs on "
                                         "127.0.0.1 with images that show the prompt. For tests and demos only.");
  if (!g_option_context_parse (context, &argc, &argv, &error) || port < 0 || port > 65535 || latency < 0 || rpm < 0)
    {
      g_printerr ("pixmerge-demo-provider: %s\n", error ? error->message : "invalid option value");
      return 2;
    }

  fake = px_fake_provider_new (port, key, &error);
  if (fake == NULL)
    {
      g_printerr ("pixmerge-demo-provider: %s\n", error->message);
      return 1;
    }
  px_fake_provider_set_latency (fake, latency);
  if (rpm > 0)
    px_fake_provider_set_rpm (fake, rpm);
  px_fake_provider_set_plain_images (fake, plain);
  px_fake_provider_set_small_images (fake, small);
  if (batch_polls >= 0)
    px_fake_provider_set_batch_polls (fake, batch_polls);
  if (batch_failing > 0)
    px_fake_provider_set_batch_failing (fake, batch_failing);
  if (g_strcmp0 (batch_outcome, "failed") == 0)
    px_fake_provider_set_batch_outcome (fake, PX_FAKE_BATCH_FAILED);
  else if (g_strcmp0 (batch_outcome, "expired") == 0)
    px_fake_provider_set_batch_outcome (fake, PX_FAKE_BATCH_EXPIRED);
  if (batch_stall > 0)
    px_fake_provider_set_batch_download_stall (fake, batch_stall);
  px_fake_provider_set_batch_log (fake, batch_log);
  if (problem != NULL)
    px_fake_provider_set_account_problem (fake, px_fake_account_problem_from_string (problem));

  g_print ("%s\n", px_fake_provider_get_url (fake));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  /* Stopped with SIGTERM or SIGINT: what it served, for benchmarks. */
  g_unix_signal_add (SIGTERM, on_terminate, loop);
  g_unix_signal_add (SIGINT, on_terminate, loop);
  g_main_loop_run (loop);
  g_printerr ("requests: %u\nrefused by the rate limit: %u\n", px_fake_provider_get_request_count (fake),
              px_fake_provider_get_limited_count (fake));
  return 0;
}
