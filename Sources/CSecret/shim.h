#ifndef PDS_AUTH_CSECRET_SHIM_H
#define PDS_AUTH_CSECRET_SHIM_H
// libsecret, the freedesktop Secret Service client (Debian's libsecret-1-0; headers in
// libsecret-1-dev), as pds-auth uses it: items of one schema ("pds-auth.Profile") stored,
// looked up, listed and cleared in the default collection. CSecretLoader opens
// libsecret-1.so.0 with dlopen the first time one of these is called, so a command on a
// `file` profile never loads libsecret, GLib or D-Bus (and the binary does not need them).
//
// Swift sees only plain C here: GLib's types, memory and errors stay in the loader.
// Secrets returned by these functions are wiped when freed with pds_secret_free_text.
#include <stddef.h>

/// What a call came to.
typedef enum {
    PDS_SECRET_OK = 0,
    /// Lookup: no unlocked item matches (see pds_secret_list to tell "locked" from "absent").
    PDS_SECRET_NOT_FOUND = 1,
    /// The collection is locked and was not unlocked (no prompt, or the prompt was dismissed).
    PDS_SECRET_LOCKED = 2,
    /// No session bus, or no Secret Service on it.
    PDS_SECRET_NO_SERVICE = 3,
    /// Anything else the service or the library reported.
    PDS_SECRET_FAILED = 4,
    /// libsecret-1.so.0 (or a function pds-auth needs) could not be loaded.
    PDS_SECRET_NO_LIBRARY = 5,
} pds_secret_status;

/// One attribute of an item: a name of the schema (profile-id, generation, basis, profile,
/// home) and its value.
typedef struct {
    const char *name;
    const char *value;
} pds_secret_attribute;

/// Stores `secret` under `attributes` in the default collection, replacing an item with the
/// same attributes. A locked collection is unlocked by the service's own prompt, if any.
pds_secret_status pds_secret_store(const pds_secret_attribute *attributes, size_t count, const char *label,
                                   const char *secret, char **detail);

/// The secret of the item matching `attributes` (unlocking as above) in *secret.
pds_secret_status pds_secret_lookup(const pds_secret_attribute *attributes, size_t count, char **secret, char **detail);

/// Deletes every item matching `attributes`.
pds_secret_status pds_secret_clear(const pds_secret_attribute *attributes, size_t count, char **detail);

/// The value of attribute `name` of every item matching `attributes`, locked or not, without
/// unlocking anything or reading a secret: *values gets *found strings.
pds_secret_status pds_secret_list(const pds_secret_attribute *attributes, size_t count, const char *name,
                                  char ***values, size_t *found, char **detail);

/// Frees (after overwriting) text returned by these functions; NULL is fine.
void pds_secret_free_text(char *text);

/// Frees a list returned by pds_secret_list.
void pds_secret_free_list(char **values, size_t count);

#endif
