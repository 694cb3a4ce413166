/* server — HTTP on libmicrohttpd; see server.h. */
#include "server.h"

#include "mem.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* libmicrohttpd is loaded when a server starts, not linked: with GnuTLS and the dozen
 * libraries it brings, loading it cost every command 2 ms (a fifteenth of a fresh render).
 * MHD_SONAME comes from the Makefile (the installed library's soname). */
#ifndef MHD_SONAME
#define MHD_SONAME "libmicrohttpd.so.12"
#endif

static struct {
    struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
                                       MHD_AccessHandlerCallback, void *, ...);
    void (*stop_daemon)(struct MHD_Daemon *);
    MHD_socket (*quiesce_daemon)(struct MHD_Daemon *);
    const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType,
                                                   ...);
    const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind,
                                           const char *);
    struct MHD_Response *(*create_response_from_buffer)(size_t, void *,
                                                        enum MHD_ResponseMemoryMode);
    void (*destroy_response)(struct MHD_Response *);
    enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
    enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
} mhd;

/* Loads the library and its functions once; 0, or -1 after reporting. */
static int mhd_load(diag_t *dg)
{
    if (mhd.start_daemon)
        return 0;
    void *lib = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        diag_fail(dg, NULL, "serve-no-http-library",
                  "cannot load the HTTP library %s (%s); install libmicrohttpd12", MHD_SONAME,
                  dlerror());
        return -1;
    }
    static const char *const symbols[] = {"MHD_stop_daemon",
                                          "MHD_quiesce_daemon",
                                          "MHD_get_daemon_info",
                                          "MHD_lookup_connection_value",
                                          "MHD_create_response_from_buffer",
                                          "MHD_destroy_response",
                                          "MHD_add_response_header",
                                          "MHD_queue_response",
                                          "MHD_start_daemon"};
    void *found[sizeof symbols / sizeof symbols[0]];
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        if (!(found[i] = dlsym(lib, symbols[i]))) {
            diag_fail(dg, NULL, "serve-no-http-library",
                      "cannot load the HTTP library %s (%s); install libmicrohttpd12", MHD_SONAME,
                      dlerror());
            dlclose(lib);
            return -1;
        }
    }
    /* From object pointers to function pointers as POSIX allows (memcpy: ISO C has no
     * conversion); start_daemon last, as the table's "loaded" mark. */
    memcpy(&mhd.stop_daemon, &found[0], sizeof found[0]);
    memcpy(&mhd.quiesce_daemon, &found[1], sizeof found[1]);
    memcpy(&mhd.get_daemon_info, &found[2], sizeof found[2]);
    memcpy(&mhd.lookup_connection_value, &found[3], sizeof found[3]);
    memcpy(&mhd.create_response_from_buffer, &found[4], sizeof found[4]);
    memcpy(&mhd.destroy_response, &found[5], sizeof found[5]);
    memcpy(&mhd.add_response_header, &found[6], sizeof found[6]);
    memcpy(&mhd.queue_response, &found[7], sizeof found[7]);
    memcpy(&mhd.start_daemon, &found[8], sizeof found[8]);
    return 0;
}

/* The page and the API are served by this server alone: no script, style, font or image
 * from elsewhere, no framing by another site. */
#define SERVER_CSP                                                                                 \
    "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; "         \
    "form-action 'self'; frame-ancestors 'none'"

struct server {
    struct MHD_Daemon *daemon;
    server_options_t opt;
    diag_t *dg;
    pthread_mutex_t lock; /* the log (diag is not thread-safe) and the counter below */
    int active;           /* requests between their first byte and their response */
    int port;
    bool loopback;
};

/* One request, from its headers to the log line after its response. */
struct server_request {
    server_t *server;
    struct MHD_Connection *connection;
    char *method, *path;
    unsigned char *body;
    size_t len, cap;
    bool too_large, counted;
    int status;
    size_t sent;
    struct timespec started;
};

const char *server_method(const server_request_t *request)
{
    return request->method;
}

const char *server_path(const server_request_t *request)
{
    return request->path;
}

const char *server_query(const server_request_t *request, const char *key)
{
    return mhd.lookup_connection_value(request->connection, MHD_GET_ARGUMENT_KIND, key);
}

const unsigned char *server_body(const server_request_t *request, size_t *len)
{
    *len = request->len;
    return request->body;
}

int server_port(const server_t *s)
{
    return s->port;
}

bool server_is_loopback(const server_t *s)
{
    return s->loopback;
}

static double since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Queues a response with the headers every response carries. */
static enum MHD_Result respond(server_request_t *rq, server_response_t *r)
{
    struct MHD_Response *resp;
    if (r->is_static)
        resp = mhd.create_response_from_buffer(r->len, r->body, MHD_RESPMEM_PERSISTENT);
    else
        resp = mhd.create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        if (!r->is_static)
            free(r->body);
        free(r->disposition);
        return MHD_NO;
    }
    if (r->status == 0)
        r->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->content_type ? r->content_type : "text/plain; charset=utf-8");
    mhd.add_response_header(resp, "Content-Security-Policy", SERVER_CSP);
    mhd.add_response_header(resp, "X-Content-Type-Options", "nosniff");
    mhd.add_response_header(resp, "Referrer-Policy", "no-referrer");
    mhd.add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->retry_after > 0) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", r->retry_after);
        mhd.add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, buf);
    }
    if (r->disposition) {
        mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, r->disposition);
        free(r->disposition);
    }
    rq->status = r->status;
    rq->sent = r->len;
    enum MHD_Result ok = mhd.queue_response(rq->connection, (unsigned)r->status, resp);
    mhd.destroy_response(resp);
    return ok;
}

/* A short plain-text answer of the server's own (413, 403, 405). */
static enum MHD_Result respond_text(server_request_t *rq, int status, const char *text)
{
    server_response_t r = {.status = status,
                           .content_type = "text/plain; charset=utf-8",
                           .body = (unsigned char *)(uintptr_t)text,
                           .len = strlen(text),
                           .is_static = true};
    return respond(rq, &r);
}

/* With a loopback address, only a Host naming the loopback with our port is ours: any other
 * name reaching us is a page elsewhere that rebinds its name to 127.0.0.1. */
static bool host_allowed(const server_t *s, const char *host)
{
    if (!s->loopback)
        return true;
    if (!host)
        return false;
    static const char *const names[] = {"localhost", "127.0.0.1", "[::1]"};
    char port[16];
    snprintf(port, sizeof port, ":%d", s->port);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(host, names[i], n) == 0 && strcmp(host + n, port) == 0)
            return true;
    }
    return false;
}

static void request_begin(server_t *s, server_request_t *rq)
{
    pthread_mutex_lock(&s->lock);
    s->active++;
    rq->counted = true;
    pthread_mutex_unlock(&s->lock);
}

static void request_end(server_t *s, server_request_t *rq)
{
    if (!rq->counted)
        return;
    rq->counted = false;
    pthread_mutex_lock(&s->lock);
    s->active--;
    pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    server_t *s = cls;
    server_request_t *rq = *con_cls;
    if (!rq) {
        /* The headers: the body's size first, then the Host, before any byte of the body
         * is read. */
        rq = mem_zalloc(1, sizeof *rq);
        rq->server = s;
        rq->connection = connection;
        rq->method = mem_strdup(method);
        rq->path = mem_strdup(url);
        clock_gettime(CLOCK_MONOTONIC, &rq->started);
        *con_cls = rq;
        request_begin(s, rq);
        const char *length = mhd.lookup_connection_value(connection, MHD_HEADER_KIND,
                                                         MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length) {
            char *end = NULL;
            unsigned long long n = strtoull(length, &end, 10);
            if (end == length || *end || n > s->opt.max_body)
                return respond_text(rq, MHD_HTTP_CONTENT_TOO_LARGE,
                                    "413 the body is larger than the input limit\n");
        }
        const char *host =
            mhd.lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
        if (!host_allowed(s, host))
            return respond_text(rq, MHD_HTTP_FORBIDDEN,
                                "403 this server answers only to localhost, 127.0.0.1 or "
                                "[::1] with its port\n");
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        if (!rq->too_large && rq->len + n > s->opt.max_body) {
            rq->too_large = true;
            free(rq->body);
            rq->body = NULL;
            rq->len = rq->cap = 0;
        }
        if (!rq->too_large) {
            if (rq->len + n + 1 > rq->cap) {
                rq->cap = (rq->len + n + 1) * 2;
                if (rq->cap > s->opt.max_body + 1)
                    rq->cap = s->opt.max_body + 1;
                rq->body = mem_realloc(rq->body, rq->cap);
            }
            memcpy(rq->body + rq->len, upload_data, n);
            rq->len += n;
            rq->body[rq->len] = '\0';
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rq->too_large)
        return respond_text(rq, MHD_HTTP_CONTENT_TOO_LARGE,
                            "413 the body is larger than the input limit\n");
    server_response_t r;
    memset(&r, 0, sizeof r);
    s->opt.handler(s->opt.user, rq, &r);
    return respond(rq, &r);
}

/* The request's log line, once its response is sent (or the connection ended). */
static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)connection;
    server_t *s = cls;
    server_request_t *rq = *con_cls;
    if (!rq)
        return;
    double ms = since(&rq->started);
    pthread_mutex_lock(&s->lock);
    diag_note(s->dg, NULL, "serve-request-log", "%s %s %d %zu bytes %.1f ms%s", rq->method,
              rq->path, rq->status, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? rq->sent : 0, ms,
              toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection ended early)");
    pthread_mutex_unlock(&s->lock);
    request_end(s, rq);
    free(rq->method);
    free(rq->path);
    free(rq->body);
    free(rq);
    *con_cls = NULL;
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
    server_t *s = cls;
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    pthread_mutex_lock(&s->lock);
    diag_warn(s->dg, NULL, "serve-http-library", "HTTP library: %s", buf);
    pthread_mutex_unlock(&s->lock);
}

/* "ADDR:PORT" ("[v6]:PORT" for IPv6) into a socket address; 0, or -1 after reporting. */
static int parse_listen(diag_t *dg, const char *listen, struct sockaddr_storage *ss,
                        socklen_t *sslen)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || !colon[1])
        goto bad;
    char *host;
    if (listen[0] == '[') {
        if (colon[-1] != ']')
            goto bad;
        host = mem_strndup(listen + 1, (size_t)(colon - listen - 2));
    } else {
        host = mem_strndup(listen, (size_t)(colon - listen));
    }
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535) {
        free(host);
        goto bad;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    int rc = getaddrinfo(host, NULL, &hints, &res);
    free(host);
    if (rc != 0 || !res)
        goto bad;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *sslen = res->ai_addrlen;
    freeaddrinfo(res);
    if (ss->ss_family == AF_INET)
        ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
    return 0;
bad:
    diag_fail(dg, NULL, "serve-bad-listen",
              "--listen wants ADDR:PORT with a numeric address (127.0.0.1:8080, [::1]:8080, "
              "0.0.0.0:8080), not '%s'",
              listen);
    return -1;
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
    return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
}

server_t *server_start(diag_t *dg, const server_options_t *options)
{
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    memset(&ss, 0, sizeof ss);
    if (parse_listen(dg, options->listen, &ss, &sslen) != 0 || mhd_load(dg) != 0)
        return NULL;
    server_t *s = mem_zalloc(1, sizeof *s);
    s->opt = *options;
    s->dg = dg;
    s->loopback = is_loopback(&ss);
    pthread_mutex_init(&s->lock, NULL);
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->daemon = mhd.start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_log, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_CONNECTION_TIMEOUT, options->idle_limit, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)256, MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
    if (!s->daemon) {
        diag_fail(dg, NULL, "serve-cannot-listen",
                  "cannot listen on %s (is the port in use, or the address not this machine's?)",
                  options->listen);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = mhd.get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    return s;
}

void server_quiesce(server_t *s)
{
    MHD_socket fd = mhd.quiesce_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
}

int server_active(server_t *s)
{
    pthread_mutex_lock(&s->lock);
    int n = s->active;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void server_stop(server_t *s)
{
    if (!s)
        return;
    mhd.stop_daemon(s->daemon);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
