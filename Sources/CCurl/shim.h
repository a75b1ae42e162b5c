#ifndef PDS_AUTH_CCURL_SHIM_H
#define PDS_AUTH_CCURL_SHIM_H
// libcurl as Debian's libcurl4-openssl-dev installs it: its types and constants from
// curl/curl.h, and its functions through a table filled on first use by CCurlLoader
// (dlopen("libcurl.so.4")), so a command that makes no request never loads libcurl and
// its ~30 dependencies (the largest part of `pds-auth token`'s start-up).
//
// Swift cannot call C variadic functions, so curl_easy_setopt / curl_easy_getinfo get one
// typed wrapper per argument kind that libcurl documents. Nothing else lives here.
#include <curl/curl.h>

/// The libcurl functions pds-auth uses.
struct pds_curl_functions {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    CURLcode (*easy_perform)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
    void (*slist_free_all)(struct curl_slist *list);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    char *(*version)(void);
};

/// Loads libcurl.so.4 once (thread-safe) and returns its functions, or NULL with a
/// description of what failed in *error (dlerror's text, or the missing symbol).
const struct pds_curl_functions *pds_curl_load(const char **error);

static inline CURLcode pds_curl_setopt_long(const struct pds_curl_functions *f, CURL *h, CURLoption o, long v) { return f->easy_setopt(h, o, v); }
static inline CURLcode pds_curl_setopt_ptr(const struct pds_curl_functions *f, CURL *h, CURLoption o, const void *v) { return f->easy_setopt(h, o, v); }
static inline CURLcode pds_curl_setopt_off(const struct pds_curl_functions *f, CURL *h, CURLoption o, curl_off_t v) { return f->easy_setopt(h, o, v); }
static inline CURLcode pds_curl_setopt_write(const struct pds_curl_functions *f, CURL *h, CURLoption o, curl_write_callback v) { return f->easy_setopt(h, o, v); }
static inline CURLcode pds_curl_setopt_xferinfo(const struct pds_curl_functions *f, CURL *h, CURLoption o, curl_xferinfo_callback v) { return f->easy_setopt(h, o, v); }
static inline CURLcode pds_curl_getinfo_long(const struct pds_curl_functions *f, CURL *h, CURLINFO i, long *v) { return f->easy_getinfo(h, i, v); }

#endif
