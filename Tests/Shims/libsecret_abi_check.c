// Compiled (never run) by SecretABITests against Debian's libsecret-1-dev, twice: once to
// compare the layouts and constants declared in Sources/CSecretLoader/libsecret_abi.h with
// libsecret's and GLib's, once (PDS_SECRET_ABI_CHECK) to compare every function pointer of
// its table with the real prototype. A mismatch is a compile error.
#include <libsecret/secret.h>
#include <gio/gio.h>
#include <stddef.h>

#ifndef PDS_SECRET_ABI_CHECK
#include "libsecret_abi.h"

#define SAME_LAYOUT(ours, theirs, member) \
    _Static_assert(offsetof(ours, member) == offsetof(theirs, member), #theirs "." #member)
_Static_assert(sizeof(pds_SecretSchema) == sizeof(SecretSchema), "SecretSchema");
SAME_LAYOUT(pds_SecretSchema, SecretSchema, name);
SAME_LAYOUT(pds_SecretSchema, SecretSchema, flags);
SAME_LAYOUT(pds_SecretSchema, SecretSchema, attributes);
SAME_LAYOUT(pds_SecretSchema, SecretSchema, reserved);
SAME_LAYOUT(pds_SecretSchema, SecretSchema, reserved7);
_Static_assert(sizeof(pds_SecretSchemaAttribute) == sizeof(SecretSchemaAttribute), "SecretSchemaAttribute");
SAME_LAYOUT(pds_SecretSchemaAttribute, SecretSchemaAttribute, type);
_Static_assert(sizeof(pds_GError) == sizeof(GError), "GError");
SAME_LAYOUT(pds_GError, GError, code);
SAME_LAYOUT(pds_GError, GError, message);
_Static_assert(sizeof(pds_GList) == sizeof(GList), "GList");
SAME_LAYOUT(pds_GList, GList, next);
SAME_LAYOUT(pds_GList, GList, prev);
_Static_assert(sizeof(pds_gquark) == sizeof(GQuark) && sizeof(pds_gboolean) == sizeof(gboolean), "scalars");
_Static_assert((int)PDS_SECRET_SCHEMA_NONE == (int)SECRET_SCHEMA_NONE, "SECRET_SCHEMA_NONE");
_Static_assert((int)PDS_SECRET_SCHEMA_ATTRIBUTE_STRING == (int)SECRET_SCHEMA_ATTRIBUTE_STRING, "SECRET_SCHEMA_ATTRIBUTE_STRING");
_Static_assert((int)PDS_SECRET_SEARCH_ALL == (int)SECRET_SEARCH_ALL, "SECRET_SEARCH_ALL");
_Static_assert((int)PDS_SECRET_ERROR_IS_LOCKED == (int)SECRET_ERROR_IS_LOCKED, "SECRET_ERROR_IS_LOCKED");
_Static_assert((int)PDS_G_DBUS_ERROR_SERVICE_UNKNOWN == (int)G_DBUS_ERROR_SERVICE_UNKNOWN, "G_DBUS_ERROR_SERVICE_UNKNOWN");
_Static_assert((int)PDS_G_DBUS_ERROR_NAME_HAS_NO_OWNER == (int)G_DBUS_ERROR_NAME_HAS_NO_OWNER, "G_DBUS_ERROR_NAME_HAS_NO_OWNER");
_Static_assert((int)PDS_G_DBUS_ERROR_IO_ERROR == (int)G_DBUS_ERROR_IO_ERROR, "G_DBUS_ERROR_IO_ERROR");
_Static_assert((int)PDS_G_DBUS_ERROR_BAD_ADDRESS == (int)G_DBUS_ERROR_BAD_ADDRESS, "G_DBUS_ERROR_BAD_ADDRESS");
_Static_assert((int)PDS_G_DBUS_ERROR_NO_SERVER == (int)G_DBUS_ERROR_NO_SERVER, "G_DBUS_ERROR_NO_SERVER");
_Static_assert((int)PDS_G_DBUS_ERROR_DISCONNECTED == (int)G_DBUS_ERROR_DISCONNECTED, "G_DBUS_ERROR_DISCONNECTED");
_Static_assert((int)PDS_G_IO_ERROR_DBUS_ERROR == (int)G_IO_ERROR_DBUS_ERROR, "G_IO_ERROR_DBUS_ERROR");
#else
#define pds_gboolean gboolean
#define pds_gquark GQuark
#define pds_SecretSearchFlags SecretSearchFlags
#define pds_GHashTable GHashTable
#define pds_GCancellable GCancellable
#define pds_SecretRetrievable SecretRetrievable
#define pds_GError GError
#define pds_GList GList
#define pds_SecretSchema SecretSchema
#include "libsecret_abi.h"

#define SAME_TYPE(field, function) \
    _Static_assert(__builtin_types_compatible_p(__typeof__(((struct pds_secret_functions *)0)->field), __typeof__(&function)), #function)
SAME_TYPE(password_storev_sync, secret_password_storev_sync);
SAME_TYPE(password_lookupv_sync, secret_password_lookupv_sync);
SAME_TYPE(password_clearv_sync, secret_password_clearv_sync);
SAME_TYPE(password_searchv_sync, secret_password_searchv_sync);
SAME_TYPE(password_free, secret_password_free);
SAME_TYPE(retrievable_get_attributes, secret_retrievable_get_attributes);
// Declared G_GNUC_CONST, which GCC makes part of the function's type: compare its result
// and its (empty) parameter list instead.
_Static_assert(__builtin_types_compatible_p(__typeof__(((struct pds_secret_functions *)0)->error_get_quark()), __typeof__(secret_error_get_quark())),
               "secret_error_get_quark");
static GQuark (*const error_get_quark_takes_nothing)(void) = secret_error_get_quark;
SAME_TYPE(hash_table_new, g_hash_table_new);
SAME_TYPE(hash_table_insert, g_hash_table_insert);
SAME_TYPE(hash_table_lookup, g_hash_table_lookup);
SAME_TYPE(hash_table_unref, g_hash_table_unref);
SAME_TYPE(str_hash, g_str_hash);
SAME_TYPE(str_equal, g_str_equal);
SAME_TYPE(error_free, g_error_free);
SAME_TYPE(dbus_error_quark, g_dbus_error_quark);
SAME_TYPE(io_error_quark, g_io_error_quark);
SAME_TYPE(list_free_full, g_list_free_full);
SAME_TYPE(object_unref, g_object_unref);
#endif
