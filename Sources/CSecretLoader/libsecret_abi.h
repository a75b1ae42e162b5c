#ifndef PDS_AUTH_LIBSECRET_ABI_H
#define PDS_AUTH_LIBSECRET_ABI_H
// The part of libsecret's and GLib's ABI the loader uses, declared here instead of included
// from libsecret-1-dev: including <libsecret/secret.h> needs GLib's include directories,
// which only pkg-config knows, and a SwiftPM system library that asks pkg-config for them is
// also linked against what pkg-config lists (libsecret, GLib, GIO, GObject) — the very
// dependencies dlopen keeps out of the binary. These are stable ABIs (libsecret-1 since
// 0.18, GLib 2.x); SecretABITests compiles this file against Debian's libsecret-1-dev and
// fails if a layout, a constant or a signature differs.
#include <stddef.h>

// With PDS_SECRET_ABI_CHECK defined (by SecretABITests only), the pds_ type names are
// macros for libsecret's and GLib's own types, so the function table below is compared
// with the real prototypes.
#ifndef PDS_SECRET_ABI_CHECK
typedef int pds_gboolean;
typedef unsigned int pds_gquark;
typedef int pds_SecretSearchFlags;
typedef struct pds_GHashTable pds_GHashTable;
typedef struct pds_GCancellable pds_GCancellable;
typedef struct pds_SecretRetrievable pds_SecretRetrievable;

typedef struct {
    pds_gquark domain;
    int code;
    char *message;
} pds_GError;

typedef struct pds_GList {
    void *data;
    struct pds_GList *next;
    struct pds_GList *prev;
} pds_GList;

typedef struct {
    const char *name;
    int type; /* SecretSchemaAttributeType */
} pds_SecretSchemaAttribute;

typedef struct {
    const char *name;
    int flags; /* SecretSchemaFlags */
    pds_SecretSchemaAttribute attributes[32];
    int reserved;
    void *reserved1, *reserved2, *reserved3, *reserved4, *reserved5, *reserved6, *reserved7;
} pds_SecretSchema;
#endif

enum {
    PDS_SECRET_SCHEMA_NONE = 0,
    PDS_SECRET_SCHEMA_ATTRIBUTE_STRING = 0,
    PDS_SECRET_SEARCH_ALL = 1 << 1,
    PDS_SECRET_ERROR_IS_LOCKED = 2,
    PDS_G_DBUS_ERROR_SERVICE_UNKNOWN = 2,
    PDS_G_DBUS_ERROR_NAME_HAS_NO_OWNER = 3,
    PDS_G_DBUS_ERROR_IO_ERROR = 5,
    PDS_G_DBUS_ERROR_BAD_ADDRESS = 6,
    PDS_G_DBUS_ERROR_NO_SERVER = 11,
    PDS_G_DBUS_ERROR_DISCONNECTED = 15,
    PDS_G_IO_ERROR_DBUS_ERROR = 36,
};

/// The functions the loader resolves, named as in libsecret and GLib.
struct pds_secret_functions {
    pds_gboolean (*password_storev_sync)(const pds_SecretSchema *schema, pds_GHashTable *attributes, const char *collection,
                                         const char *label, const char *password, pds_GCancellable *cancellable, pds_GError **error);
    char *(*password_lookupv_sync)(const pds_SecretSchema *schema, pds_GHashTable *attributes, pds_GCancellable *cancellable,
                                   pds_GError **error);
    pds_gboolean (*password_clearv_sync)(const pds_SecretSchema *schema, pds_GHashTable *attributes, pds_GCancellable *cancellable,
                                         pds_GError **error);
    pds_GList *(*password_searchv_sync)(const pds_SecretSchema *schema, pds_GHashTable *attributes, pds_SecretSearchFlags flags,
                                        pds_GCancellable *cancellable, pds_GError **error);
    void (*password_free)(char *password);
    pds_GHashTable *(*retrievable_get_attributes)(pds_SecretRetrievable *retrievable);
    pds_gquark (*error_get_quark)(void);
    pds_GHashTable *(*hash_table_new)(unsigned int (*hash)(const void *), pds_gboolean (*equal)(const void *, const void *));
    pds_gboolean (*hash_table_insert)(pds_GHashTable *table, void *key, void *value);
    void *(*hash_table_lookup)(pds_GHashTable *table, const void *key);
    void (*hash_table_unref)(pds_GHashTable *table);
    unsigned int (*str_hash)(const void *text);
    pds_gboolean (*str_equal)(const void *a, const void *b);
    void (*error_free)(pds_GError *error);
    pds_gquark (*dbus_error_quark)(void);
    pds_gquark (*io_error_quark)(void);
    void (*list_free_full)(pds_GList *list, void (*free_function)(void *));
    void (*object_unref)(void *object);
};

#endif
