/* server — HTTP on libmicrohttpd (the only module that includes microhttpd.h).
 *
 * Listens on one address, reads each request's body up to a limit (a Content-Length over
 * it is refused with 413 before any byte of the body is read; a chunked body that grows
 * past it too), refuses a Host header that could come from DNS rebinding when listening
 * on a loopback address, and hands every other request, whole, to the caller's handler.
 * Every response carries Content-Security-Policy (the server itself only),
 * X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer, and no cookie. One
 * log line per request (method, path, status, bytes, milliseconds) goes through diag as
 * a note; nothing of a request's content is logged.
 *
 * Requests run on libmicrohttpd's threads (one per connection): the handler must be
 * thread-safe. The server owns its daemon and each request's body until the handler
 * returns; a response body the handler sets is the server's from then on (freed after
 * sending) unless marked static. */
#ifndef ITAREPORT_SERVER_H
#define ITAREPORT_SERVER_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct server server_t;
typedef struct server_request server_request_t;

typedef struct server_response {
    int status;
    const char *content_type; /* a static string */
    unsigned char *body;      /* malloc'd, the server frees it; or static with is_static */
    size_t len;
    bool is_static;
    int retry_after;   /* seconds for a Retry-After header; 0: none */
    char *disposition; /* a Content-Disposition value (malloc'd, the server frees
                        * it); NULL: none */
} server_response_t;

/* Fills response for request (status 0 is taken as 500). Runs on a server thread. */
typedef void (*server_handler_fn)(void *user, const server_request_t *request,
                                  server_response_t *response);

typedef struct server_options {
    const char *listen;  /* "ADDR:PORT": "127.0.0.1:8080", "[::1]:0", "0.0.0.0:8080" */
    size_t max_body;     /* bytes a request body may have */
    unsigned idle_limit; /* seconds a connection may stay idle */
    server_handler_fn handler;
    void *user;
} server_options_t;

/* Starts listening (threads are started here: anything that must precede them, such as
 * signal masks, must be done before). NULL after reporting (a bad address, a port in use). */
server_t *server_start(diag_t *dg, const server_options_t *options);

/* The port listened on (the one chosen by the system for port 0); whether the address is
 * a loopback one. */
int server_port(const server_t *s);
bool server_is_loopback(const server_t *s);

/* Stops accepting connections (the requests under way go on). */
void server_quiesce(server_t *s);

/* The number of requests between their headers and the end of their response. */
int server_active(server_t *s);

/* Stops the daemon (ending its connections) and frees everything; NULL is allowed. */
void server_stop(server_t *s);

/* A request's method ("GET"), path (without the query), a query argument (NULL when
 * absent) and body (its length in *len; NULL and 0 without one). Valid during the
 * handler's call. */
const char *server_method(const server_request_t *request);
const char *server_path(const server_request_t *request);
const char *server_query(const server_request_t *request, const char *key);
const unsigned char *server_body(const server_request_t *request, size_t *len);

#endif
