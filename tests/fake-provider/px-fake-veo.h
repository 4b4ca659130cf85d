/* px-fake-veo.h: the Gemini API's Veo video models in the fake: a
 * long-running operation to create, poll and download. */
#pragma once

#include "px-fake-provider.h"
#include "px-fake-reply.h"

G_BEGIN_DECLS

typedef struct _PxFakeVeo PxFakeVeo;

PxFakeVeo *px_fake_veo_new   (void);
void       px_fake_veo_free  (PxFakeVeo         *veo);
Reply     *px_fake_veo_route (PxFakeVeo         *veo,
                              const char        *base_url,
                              const char        *api_key,
                              SoupServerMessage *msg,
                              const char        *path,
                              GBytes            *body);
void       px_fake_veo_set_polls       (PxFakeVeo          *veo,
                                        guint               polls);
void       px_fake_veo_set_outcome     (PxFakeVeo          *veo,
                                        PxFakeVideoOutcome  outcome);
guint      px_fake_veo_get_submissions (PxFakeVeo          *veo);

G_END_DECLS
