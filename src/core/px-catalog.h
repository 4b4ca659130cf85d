/* px-catalog.h: the providers and models Pixmerge knows, as data. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PX_CATALOG_ERROR (px_catalog_error_quark ())

typedef enum {
  PX_CATALOG_ERROR_INVALID_DATA,
  PX_CATALOG_ERROR_UNKNOWN_MODEL,
  PX_CATALOG_ERROR_UNKNOWN_PROVIDER,
  PX_CATALOG_ERROR_INVALID_SETTING,
} PxCatalogError;

typedef enum {
  PX_KEY_REQUIRED,
  PX_KEY_OPTIONAL,
  PX_KEY_NONE,
} PxKeyPolicy;

typedef struct {
  char        *id;
  char        *name;
  char        *wire;            /* openai, gemini, imagen, a1111 */
  char        *base_url;
  char        *base_url_env;    /* environment variable that overrides base_url */
  char        *key_env;         /* environment variable with a key for scripting */
  PxKeyPolicy  key_policy;
  guint        concurrency;
  guint        requests_per_minute; /* 0: no limit */
  char        *custom_model;    /* the model whose capabilities a user-added id gets */
  char        *text_model;      /* chat model for the prompt helper; NULL: none */
  double       text_input_price;   /* dollars per prompt token of the text model */
  double       text_output_price;  /* dollars per answer token (thinking included) */
} PxProviderInfo;

typedef enum {
  PX_SETTING_CHOICE,
  PX_SETTING_INTEGER,
  PX_SETTING_TEXT,
} PxSettingKind;

typedef struct {
  char          *name;
  PxSettingKind  kind;
  char         **values;          /* CHOICE */
  gint64         min;             /* INTEGER */
  gint64         max;
  char          *default_value;
} PxSettingSpec;

typedef struct {
  char       *id;
  char       *provider_id;
  char       *name;
  glong       max_prompt_chars;
  guint       reference_images;   /* how many reference images it takes; 0: none */
  gboolean    response_format;    /* OpenAI wire: send response_format=b64_json */
  double      output_token_price; /* dollars per output token when usage is reported; 0: use the table */
  double      input_text_token_price;  /* dollars per prompt token, where usage reports them */
  double      input_image_token_price; /* dollars per reference-image token (edits) */
  gboolean    custom;             /* added by the user */
  char       *deprecated;         /* shutdown date the provider announced, or NULL */
  char       *retired;            /* date the provider stopped serving it, or NULL */
  char       *replacement;        /* the model id the provider names as its successor */
  gboolean    unavailable;        /* the provider's list for this account lacks it */
  gboolean    discovered;         /* from the provider's list, not the catalog: usual settings */
  GPtrArray  *settings;           /* PxSettingSpec */
  double      price_default;
  GPtrArray  *price_rules;        /* internal */
} PxModel;

#define PX_TYPE_CATALOG (px_catalog_get_type ())

G_DECLARE_FINAL_TYPE (PxCatalog, px_catalog, PX, CATALOG, GObject)

GQuark                px_catalog_error_quark        (void);

PxCatalog            *px_catalog_new_builtin        (GError        **error);
PxCatalog            *px_catalog_new_default        (GError        **error);
PxCatalog            *px_catalog_new_from_data      (const char     *json,
                                                     gssize          length,
                                                     GError        **error);
GPtrArray            *px_catalog_get_providers      (PxCatalog      *self);
GPtrArray            *px_catalog_get_models         (PxCatalog      *self);
const PxProviderInfo *px_catalog_lookup_provider    (PxCatalog      *self,
                                                     const char     *provider_id);
const PxModel        *px_catalog_lookup_model       (PxCatalog      *self,
                                                     const char     *model_id,
                                                     GError        **error);
const PxModel        *px_catalog_add_custom_model   (PxCatalog      *self,
                                                     const char     *provider_id,
                                                     const char     *model_id,
                                                     GError        **error);
gboolean              px_catalog_load_custom_models (PxCatalog      *self,
                                                     const char     *path,
                                                     GError        **error);
gboolean              px_catalog_save_custom_models (PxCatalog      *self,
                                                     const char     *path,
                                                     GError        **error);
char                 *px_catalog_get_custom_models_path (void);

const PxSettingSpec  *px_model_lookup_setting       (const PxModel  *model,
                                                     const char     *name);
GHashTable           *px_model_resolve_settings     (const PxModel  *model,
                                                     GHashTable     *given,
                                                     GError        **error);
double                px_model_price_per_image      (const PxModel  *model,
                                                     GHashTable     *settings);
guint                 px_model_get_count            (const PxModel  *model,
                                                     GHashTable     *settings);
char                 *px_catalog_describe_alternatives (PxCatalog   *self,
                                                     const PxModel  *model);
GPtrArray            *px_catalog_list_offered       (PxCatalog      *self);
char                 *px_catalog_describe_model     (PxCatalog      *self,
                                                     const PxModel  *model);
const PxModel        *px_catalog_lookup_replacement (PxCatalog      *self,
                                                     const char     *model_id);

G_END_DECLS
