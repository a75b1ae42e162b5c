// Implements CSecret's shim.h: opens libsecret-1.so.0 on the first call (dlopen), resolves
// the functions in libsecret_abi.h, and does GLib's bookkeeping (attribute tables, errors,
// lists, freeing) so Swift sees plain C strings. Calls are serialised: each blocks on D-Bus
// (and on the keyring's unlock prompt, if one is shown) and libsecret's synchronous API is
// meant for one caller at a time per thread context.
#include "shim.h"
#include "libsecret_abi.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct pds_secret_functions functions;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t calls = PTHREAD_MUTEX_INITIALIZER;
static const char *failure;
static char failure_text[512];

/// pds-auth's items: every lookup matches the schema name too (libsecret adds the
/// xdg:schema attribute), so no other program's item is ever read as ours.
static const pds_SecretSchema schema = {
    "pds-auth.Profile", PDS_SECRET_SCHEMA_NONE,
    {
        {"profile-id", PDS_SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"generation", PDS_SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"basis", PDS_SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"profile", PDS_SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"home", PDS_SECRET_SCHEMA_ATTRIBUTE_STRING},
        {NULL, 0},
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static int resolve(void *library, void **slot, const char *name) {
    *slot = dlsym(library, name);
    if (*slot) return 1;
    snprintf(failure_text, sizeof failure_text, "libsecret-1.so.0 lacks %s", name);
    failure = failure_text;
    return 0;
}

static void load(void) {
    // libsecret's own "file" backend (chosen by SECRET_BACKEND=file, or inside Flatpak) keeps
    // secrets in a file under ~/.local/share instead of the Secret Service: the user chose
    // the Secret Service, so that is refused rather than silently used.
    const char *backend = getenv("SECRET_BACKEND");
    if ((backend && strcmp(backend, "service") != 0) || access("/.flatpak-info", F_OK) == 0) {
        failure = backend && strcmp(backend, "service") != 0
            ? "SECRET_BACKEND is set to another backend than \"service\"; libsecret would not use the Secret Service"
            : "inside Flatpak, libsecret keeps secrets in a file instead of the Secret Service";
        return;
    }
    // The soname of Debian's libsecret-1-0. RTLD_LOCAL keeps its symbols (and GLib's) out of
    // the global scope; dlsym on this handle also finds GLib's, which libsecret depends on.
    void *library = dlopen("libsecret-1.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure_text, sizeof failure_text, "%s", dlerror());
        failure = failure_text;
        return;
    }
    (void)(resolve(library, (void **)&functions.password_storev_sync, "secret_password_storev_sync")
        && resolve(library, (void **)&functions.password_lookupv_sync, "secret_password_lookupv_sync")
        && resolve(library, (void **)&functions.password_clearv_sync, "secret_password_clearv_sync")
        && resolve(library, (void **)&functions.password_searchv_sync, "secret_password_searchv_sync")
        && resolve(library, (void **)&functions.password_free, "secret_password_free")
        && resolve(library, (void **)&functions.retrievable_get_attributes, "secret_retrievable_get_attributes")
        && resolve(library, (void **)&functions.error_get_quark, "secret_error_get_quark")
        && resolve(library, (void **)&functions.hash_table_new, "g_hash_table_new")
        && resolve(library, (void **)&functions.hash_table_insert, "g_hash_table_insert")
        && resolve(library, (void **)&functions.hash_table_lookup, "g_hash_table_lookup")
        && resolve(library, (void **)&functions.hash_table_unref, "g_hash_table_unref")
        && resolve(library, (void **)&functions.str_hash, "g_str_hash")
        && resolve(library, (void **)&functions.str_equal, "g_str_equal")
        && resolve(library, (void **)&functions.error_free, "g_error_free")
        && resolve(library, (void **)&functions.dbus_error_quark, "g_dbus_error_quark")
        && resolve(library, (void **)&functions.io_error_quark, "g_io_error_quark")
        && resolve(library, (void **)&functions.list_free_full, "g_list_free_full")
        && resolve(library, (void **)&functions.object_unref, "g_object_unref"));
}

/// Loads once; NULL with *detail set when libsecret cannot be used.
static const struct pds_secret_functions *loaded(char **detail) {
    pthread_once(&once, load);
    if (failure) {
        if (detail) *detail = strdup(failure);
        return NULL;
    }
    return &functions;
}

static pds_GHashTable *table(const struct pds_secret_functions *f, const pds_secret_attribute *attributes, size_t count) {
    pds_GHashTable *result = f->hash_table_new(f->str_hash, f->str_equal);
    for (size_t i = 0; i < count; i++) f->hash_table_insert(result, (void *)attributes[i].name, (void *)attributes[i].value);
    return result;
}

/// What a GError means for the caller; takes and frees the error, copying its message.
static pds_secret_status classify(const struct pds_secret_functions *f, pds_GError *error, char **detail) {
    pds_secret_status status = PDS_SECRET_FAILED;
    if (error->domain == f->error_get_quark()) {
        if (error->code == PDS_SECRET_ERROR_IS_LOCKED) status = PDS_SECRET_LOCKED;
    } else if (error->domain == f->io_error_quark()) {
        // Connecting to the bus: no address, no socket, nothing listening. DBUS_ERROR is
        // the exception: an error the service itself answered with, under a name GIO does
        // not know.
        if (error->code != PDS_G_IO_ERROR_DBUS_ERROR) status = PDS_SECRET_NO_SERVICE;
    } else if (error->domain == f->dbus_error_quark()) {
        switch (error->code) {
        case PDS_G_DBUS_ERROR_SERVICE_UNKNOWN: case PDS_G_DBUS_ERROR_NAME_HAS_NO_OWNER: case PDS_G_DBUS_ERROR_IO_ERROR:
        case PDS_G_DBUS_ERROR_BAD_ADDRESS: case PDS_G_DBUS_ERROR_NO_SERVER: case PDS_G_DBUS_ERROR_DISCONNECTED:
            status = PDS_SECRET_NO_SERVICE;
            break;
        default:
            break;
        }
    }
    if (detail) *detail = strdup(error->message ? error->message : "unknown error");
    f->error_free(error);
    return status;
}

pds_secret_status pds_secret_store(const pds_secret_attribute *attributes, size_t count, const char *label,
                                   const char *secret, char **detail) {
    const struct pds_secret_functions *f = loaded(detail);
    if (!f) return PDS_SECRET_NO_LIBRARY;
    pthread_mutex_lock(&calls);
    pds_GHashTable *match = table(f, attributes, count);
    pds_GError *error = NULL;
    pds_gboolean stored = f->password_storev_sync(&schema, match, "default", label, secret, NULL, &error);
    f->hash_table_unref(match);
    pds_secret_status status = error ? classify(f, error, detail) : stored ? PDS_SECRET_OK : PDS_SECRET_FAILED;
    pthread_mutex_unlock(&calls);
    return status;
}

pds_secret_status pds_secret_lookup(const pds_secret_attribute *attributes, size_t count, char **secret, char **detail) {
    const struct pds_secret_functions *f = loaded(detail);
    if (!f) return PDS_SECRET_NO_LIBRARY;
    pthread_mutex_lock(&calls);
    pds_GHashTable *match = table(f, attributes, count);
    pds_GError *error = NULL;
    char *found = f->password_lookupv_sync(&schema, match, NULL, &error);
    f->hash_table_unref(match);
    pds_secret_status status = PDS_SECRET_NOT_FOUND;
    if (error) {
        status = classify(f, error, detail);
    } else if (found) {
        *secret = strdup(found);
        status = *secret ? PDS_SECRET_OK : PDS_SECRET_FAILED;
    }
    if (found) f->password_free(found);
    pthread_mutex_unlock(&calls);
    return status;
}

pds_secret_status pds_secret_clear(const pds_secret_attribute *attributes, size_t count, char **detail) {
    const struct pds_secret_functions *f = loaded(detail);
    if (!f) return PDS_SECRET_NO_LIBRARY;
    pthread_mutex_lock(&calls);
    pds_GHashTable *match = table(f, attributes, count);
    pds_GError *error = NULL;
    // FALSE without an error means nothing matched (or only locked items did; callers that
    // must know list what is left afterwards).
    (void)f->password_clearv_sync(&schema, match, NULL, &error);
    f->hash_table_unref(match);
    pds_secret_status status = error ? classify(f, error, detail) : PDS_SECRET_OK;
    pthread_mutex_unlock(&calls);
    return status;
}

pds_secret_status pds_secret_list(const pds_secret_attribute *attributes, size_t count, const char *name,
                                  char ***values, size_t *found, char **detail) {
    *values = NULL;
    *found = 0;
    const struct pds_secret_functions *f = loaded(detail);
    if (!f) return PDS_SECRET_NO_LIBRARY;
    pthread_mutex_lock(&calls);
    pds_GHashTable *match = table(f, attributes, count);
    pds_GError *error = NULL;
    pds_GList *items = f->password_searchv_sync(&schema, match, PDS_SECRET_SEARCH_ALL, NULL, &error);
    f->hash_table_unref(match);
    pds_secret_status status = PDS_SECRET_OK;
    if (error) {
        status = classify(f, error, detail);
    } else {
        size_t length = 0;
        for (pds_GList *item = items; item; item = item->next) length++;
        *values = calloc(length ? length : 1, sizeof(char *));
        for (pds_GList *item = items; item && *values; item = item->next) {
            pds_GHashTable *attributes_of_item = f->retrievable_get_attributes((pds_SecretRetrievable *)item->data);
            const char *value = attributes_of_item ? f->hash_table_lookup(attributes_of_item, name) : NULL;
            (*values)[(*found)++] = strdup(value ? value : "");
            if (attributes_of_item) f->hash_table_unref(attributes_of_item);
        }
        if (!*values) status = PDS_SECRET_FAILED;
    }
    if (items) f->list_free_full(items, f->object_unref);
    pthread_mutex_unlock(&calls);
    return status;
}

void pds_secret_free_text(char *text) {
    if (!text) return;
    // explicit_bzero: not optimised away although the memory is freed right after.
    explicit_bzero(text, strlen(text));
    free(text);
}

void pds_secret_free_list(char **values, size_t count) {
    for (size_t i = 0; i < count; i++) free(values[i]);
    free(values);
}
