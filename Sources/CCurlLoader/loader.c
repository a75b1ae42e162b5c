// Fills the table of libcurl functions declared in CCurl's shim.h, once, with dlopen:
// libcurl is loaded only when pds-auth is about to make a request.
#include "shim.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct pds_curl_functions functions;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failure;
static char failure_text[512];

static int resolve(void *library, void **slot, const char *name) {
    *slot = dlsym(library, name);
    if (*slot) return 1;
    snprintf(failure_text, sizeof failure_text, "libcurl.so.4 lacks %s", name);
    failure = failure_text;
    return 0;
}

static void load(void) {
    // The soname of Debian's libcurl4 (OpenSSL flavour); its ABI has been stable under this
    // name since 2006. RTLD_LOCAL keeps its symbols out of the global scope.
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure_text, sizeof failure_text, "%s", dlerror());
        failure = failure_text;
        return;
    }
    // Each assignment through a void** is how POSIX says to store a dlsym result in a
    // function pointer.
    (void)(resolve(library, (void **)&functions.global_init, "curl_global_init")
        && resolve(library, (void **)&functions.easy_init, "curl_easy_init")
        && resolve(library, (void **)&functions.easy_cleanup, "curl_easy_cleanup")
        && resolve(library, (void **)&functions.easy_perform, "curl_easy_perform")
        && resolve(library, (void **)&functions.easy_strerror, "curl_easy_strerror")
        && resolve(library, (void **)&functions.slist_append, "curl_slist_append")
        && resolve(library, (void **)&functions.slist_free_all, "curl_slist_free_all")
        && resolve(library, (void **)&functions.easy_setopt, "curl_easy_setopt")
        && resolve(library, (void **)&functions.easy_getinfo, "curl_easy_getinfo")
        && resolve(library, (void **)&functions.version, "curl_version"));
}

const struct pds_curl_functions *pds_curl_load(const char **error) {
    pthread_once(&once, load);
    if (failure) {
        if (error) *error = failure;
        return NULL;
    }
    return &functions;
}
