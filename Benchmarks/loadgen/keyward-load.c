/*
 * keyward-load: a closed-loop HTTP/1.1 keep-alive load generator for a Unix socket.
 *
 *   keyward-load SOCKET [-c CONNS] [-n TOTAL] [-d SECONDS] [-X METHOD] [-p PATH]
 *                [-b BODYFILE] [-H 'Name: value']... [-s STATUS] [-m 'TEXT']
 *   keyward-load SOCKET --watchers N -p PATH -H 'If-None-Match: "…"'
 *                --trigger 'METHOD PATH' [--trigger-body FILE]
 *
 * Load mode: CONNS connections on one epoll loop, each sending the next request as soon as
 * the previous reply is complete (no pipelining), until TOTAL replies or SECONDS pass.
 * Every reply is checked: a well-formed status line, Content-Length framing, the expected
 * status (-s, default 200) and, with -m, that the body contains TEXT. Prints one line:
 *   RESULT requests=… failed=… seconds=… rps=… p50_us=… p90_us=… p99_us=… max_us=…
 * and exits 2 if any request failed.
 *
 * Watch mode: opens N connections, sends each a long-poll request (PATH with ?wait=…), waits
 * until all are parked (a short settle), sends the trigger request on a connection of its
 * own, and times every watcher's reply from the moment the trigger's reply arrived:
 *   RESULT watchers=… woken=… p50_us=… p99_us=… max_us=… (from the trigger's reply)
 *
 * One thread and epoll, like redis-benchmark, so that the client's own overhead is the same
 * kind on both sides of a comparison.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADERS 16
#define BUFFER_SIZE (256 * 1024)

struct connection {
    int fd;
    char *buffer;
    size_t filled;
    uint64_t sent_at_ns;
    int busy;
};

static const char *socket_path;
static const char *method = "GET";
static const char *path = "/v1/health";
static const char *headers[MAX_HEADERS];
static int header_count;
static char *body;
static size_t body_length;
static int expected_status = 200;
static const char *must_contain;
static char *request_text;
static size_t request_length;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void die(const char *what) {
    fprintf(stderr, "keyward-load: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int connect_socket(void) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof(address.sun_path)) {
        fprintf(stderr, "keyward-load: socket path too long\n");
        exit(1);
    }
    strcpy(address.sun_path, socket_path);
    if (connect(fd, (struct sockaddr *)&address, sizeof(address)) != 0) die(socket_path);
    return fd;
}

static char *read_file(const char *name, size_t *length) {
    FILE *file = fopen(name, "rb");
    if (!file) die(name);
    char *data = malloc(BUFFER_SIZE);
    *length = fread(data, 1, BUFFER_SIZE, file);
    fclose(file);
    return data;
}

static char *build_request(const char *m, const char *p, const char *b, size_t blen, size_t *out_length) {
    char *text = malloc(BUFFER_SIZE);
    int n = snprintf(text, BUFFER_SIZE, "%s %s HTTP/1.1\r\nHost: keyward\r\n", m, p);
    for (int i = 0; i < header_count; i++) n += snprintf(text + n, BUFFER_SIZE - n, "%s\r\n", headers[i]);
    if (b) n += snprintf(text + n, BUFFER_SIZE - n, "Content-Type: application/json\r\nContent-Length: %zu\r\n", blen);
    n += snprintf(text + n, BUFFER_SIZE - n, "\r\n");
    if (b) {
        memcpy(text + n, b, blen);
        n += (int)blen;
    }
    *out_length = (size_t)n;
    return text;
}

static void send_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t sent = send(fd, data, length, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && errno == EAGAIN) {
            usleep(100);
            continue;
        }
        if (sent <= 0) die("send");
        data += sent;
        length -= (size_t)sent;
    }
}

/* 1: a whole reply is in the buffer (its size in *consumed), 0: not yet, -1: malformed. */
static int parse_reply(struct connection *c, int *status, size_t *consumed, const char **reply_body, size_t *reply_body_length) {
    char *end = memmem(c->buffer, c->filled, "\r\n\r\n", 4);
    if (!end) return c->filled >= BUFFER_SIZE ? -1 : 0;
    if (c->filled < 12 || memcmp(c->buffer, "HTTP/1.1 ", 9) != 0) return -1;
    *status = atoi(c->buffer + 9);
    size_t header_length = (size_t)(end - c->buffer) + 4;
    long content_length = -1;
    for (char *line = c->buffer; line < end;) {
        char *next = memmem(line, (size_t)(end - line) + 2, "\r\n", 2);
        if (!next) break;
        if (strncasecmp(line, "Content-Length:", 15) == 0) content_length = strtol(line + 15, NULL, 10);
        if (strncasecmp(line, "Transfer-Encoding:", 18) == 0) return -1; /* Keyward frames by length */
        line = next + 2;
    }
    if (content_length < 0 || content_length > BUFFER_SIZE) return -1;
    if (c->filled < header_length + (size_t)content_length) return 0;
    *consumed = header_length + (size_t)content_length;
    *reply_body = c->buffer + header_length;
    *reply_body_length = (size_t)content_length;
    return 1;
}

/* A parsed reply, as receive_reply found it. */
struct reply {
    int status;
    size_t consumed;
    const char *body;
    size_t body_length;
};

#define REPLY_AGAIN 0
#define REPLY_DONE 1
#define REPLY_MALFORMED -1
#define REPLY_CLOSED -2

/* Reads what the socket has into c's buffer and looks for a whole reply. */
static int receive_reply(struct connection *c, struct reply *reply) {
    ssize_t got = recv(c->fd, c->buffer + c->filled, BUFFER_SIZE - c->filled, 0);
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) return REPLY_AGAIN;
    if (got <= 0) return REPLY_CLOSED;
    c->filled += (size_t)got;
    return parse_reply(c, &reply->status, &reply->consumed, &reply->body, &reply->body_length);
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t percentile(uint64_t *sorted, size_t count, double p) {
    if (count == 0) return 0;
    size_t index = (size_t)(p * (double)(count - 1) + 0.5);
    return sorted[index];
}

static int check_reply(int status, const char *reply_body, size_t length) {
    if (status != expected_status) return 0;
    if (must_contain && !memmem(reply_body, length, must_contain, strlen(must_contain))) return 0;
    return 1;
}

static int run_load(int connections, long total, double seconds) {
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    struct connection *pool = calloc((size_t)connections, sizeof(*pool));
    size_t capacity = total > 0 ? (size_t)total : 1 << 20;
    uint64_t *latencies = malloc(capacity * sizeof(uint64_t));
    size_t done = 0, failed = 0, started = 0;
    uint64_t begin = now_ns(), deadline = seconds > 0 ? begin + (uint64_t)(seconds * 1e9) : UINT64_MAX;
    for (int i = 0; i < connections; i++) {
        pool[i].fd = connect_socket();
        pool[i].buffer = malloc(BUFFER_SIZE);
        fcntl(pool[i].fd, F_SETFL, O_NONBLOCK);
        struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(epoll, EPOLL_CTL_ADD, pool[i].fd, &event);
    }
    for (int i = 0; i < connections && (total <= 0 || (long)started < total); i++) {
        pool[i].sent_at_ns = now_ns();
        pool[i].busy = 1;
        send_all(pool[i].fd, request_text, request_length);
        started++;
    }
    struct epoll_event events[256];
    int active = (int)started;
    while (active > 0) {
        int ready = epoll_wait(epoll, events, 256, 1000);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) die("epoll_wait");
        for (int e = 0; e < ready; e++) {
            struct connection *c = &pool[events[e].data.u32];
            struct reply reply;
            int parsed = receive_reply(c, &reply);
            if (parsed == REPLY_AGAIN) continue;
            if (parsed == REPLY_CLOSED) {
                fprintf(stderr, "keyward-load: the server closed a connection\n");
                failed++;
                c->busy = 0;
                active--;
                epoll_ctl(epoll, EPOLL_CTL_DEL, c->fd, NULL);
                continue;
            }
            uint64_t finished = now_ns();
            if (parsed == REPLY_MALFORMED || !check_reply(reply.status, reply.body, reply.body_length)) {
                if (failed < 5) fprintf(stderr, "keyward-load: bad reply (status %d): %.200s\n", parsed < 0 ? -1 : reply.status, c->buffer);
                failed++;
            }
            if (done < capacity) latencies[done] = (finished - c->sent_at_ns) / 1000;
            done++;
            if (parsed == REPLY_DONE) {
                memmove(c->buffer, c->buffer + reply.consumed, c->filled - reply.consumed);
                c->filled -= reply.consumed;
            } else {
                c->filled = 0;
            }
            if ((total > 0 && (long)started >= total) || finished >= deadline) {
                c->busy = 0;
                active--;
                continue;
            }
            c->sent_at_ns = now_ns();
            send_all(c->fd, request_text, request_length);
            started++;
        }
    }
    double elapsed = (double)(now_ns() - begin) / 1e9;
    size_t samples = done < capacity ? done : capacity;
    qsort(latencies, samples, sizeof(uint64_t), compare_u64);
    printf("RESULT requests=%zu failed=%zu seconds=%.3f rps=%.0f p50_us=%llu p90_us=%llu p99_us=%llu max_us=%llu\n", done, failed, elapsed,
           (double)done / elapsed, (unsigned long long)percentile(latencies, samples, 0.50),
           (unsigned long long)percentile(latencies, samples, 0.90), (unsigned long long)percentile(latencies, samples, 0.99),
           (unsigned long long)(samples ? latencies[samples - 1] : 0));
    return failed == 0 ? 0 : 2;
}

static int run_watchers(int watchers, const char *trigger, const char *trigger_body_file) {
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    struct connection *pool = calloc((size_t)watchers, sizeof(*pool));
    uint64_t *wake = calloc((size_t)watchers, sizeof(uint64_t));
    for (int i = 0; i < watchers; i++) {
        pool[i].fd = connect_socket();
        pool[i].buffer = malloc(BUFFER_SIZE);
        send_all(pool[i].fd, request_text, request_length);
        fcntl(pool[i].fd, F_SETFL, O_NONBLOCK);
        struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(epoll, EPOLL_CTL_ADD, pool[i].fd, &event);
    }
    usleep(300000); /* every watch is parked in the daemon */

    char trigger_method[16] = {0}, trigger_path[1024] = {0};
    if (sscanf(trigger, "%15s %1023s", trigger_method, trigger_path) != 2) {
        fprintf(stderr, "keyward-load: --trigger wants 'METHOD PATH'\n");
        return 1;
    }
    size_t trigger_body_length = 0;
    char *trigger_body = trigger_body_file ? read_file(trigger_body_file, &trigger_body_length) : NULL;
    int saved_count = header_count;
    header_count = 0; /* the watchers' If-None-Match is not for the trigger */
    size_t trigger_length;
    char *trigger_text = build_request(trigger_method, trigger_path, trigger_body, trigger_body_length, &trigger_length);
    header_count = saved_count;
    struct connection control = {.fd = connect_socket(), .buffer = malloc(BUFFER_SIZE)};
    send_all(control.fd, trigger_text, trigger_length);
    struct reply answer = {0};
    for (;;) {
        int parsed = receive_reply(&control, &answer);
        if (parsed == REPLY_CLOSED) die("trigger reply");
        if (parsed == REPLY_MALFORMED) {
            fprintf(stderr, "keyward-load: malformed trigger reply\n");
            return 1;
        }
        if (parsed == REPLY_DONE) break;
    }
    uint64_t triggered = now_ns();
    if (answer.status < 200 || answer.status > 299) {
        fprintf(stderr, "keyward-load: the trigger answered %d: %.300s\n", answer.status, control.buffer);
        return 1;
    }
    int woken = 0, failed = 0;
    uint64_t deadline = triggered + 10ull * 1000000000u;
    struct epoll_event events[256];
    while (woken + failed < watchers && now_ns() < deadline) {
        int ready = epoll_wait(epoll, events, 256, 100);
        for (int e = 0; e < ready; e++) {
            struct connection *c = &pool[events[e].data.u32];
            struct reply reply;
            int parsed = receive_reply(c, &reply);
            if (parsed == REPLY_AGAIN) continue;
            uint64_t at = now_ns();
            epoll_ctl(epoll, EPOLL_CTL_DEL, c->fd, NULL);
            if (parsed != REPLY_DONE || reply.status != 200) {
                failed++;
                continue;
            }
            wake[woken++] = at > triggered ? (at - triggered) / 1000 : 0;
        }
    }
    qsort(wake, (size_t)woken, sizeof(uint64_t), compare_u64);
    printf("RESULT watchers=%d woken=%d failed=%d p50_us=%llu p99_us=%llu max_us=%llu\n", watchers, woken, failed,
           (unsigned long long)percentile(wake, (size_t)woken, 0.50), (unsigned long long)percentile(wake, (size_t)woken, 0.99),
           (unsigned long long)(woken ? wake[woken - 1] : 0));
    return woken == watchers ? 0 : 2;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: keyward-load SOCKET [-c N] [-n TOTAL] [-d SECONDS] [-X METHOD] [-p PATH] [-b FILE] [-H HEADER] "
                        "[-s STATUS] [-m TEXT] | --watchers N --trigger 'METHOD PATH' [--trigger-body FILE]\n");
        return 1;
    }
    socket_path = argv[1];
    int connections = 1, watchers = 0;
    long total = 0;
    double seconds = 0;
    const char *trigger = NULL, *trigger_body = NULL;
    for (int i = 2; i < argc; i++) {
        const char *option = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (!value) {
            fprintf(stderr, "keyward-load: %s needs a value\n", option);
            return 1;
        }
        i++;
        if (!strcmp(option, "-c")) connections = atoi(value);
        else if (!strcmp(option, "-n")) total = atol(value);
        else if (!strcmp(option, "-d")) seconds = atof(value);
        else if (!strcmp(option, "-X")) method = value;
        else if (!strcmp(option, "-p")) path = value;
        else if (!strcmp(option, "-b")) body = read_file(value, &body_length);
        else if (!strcmp(option, "-H") && header_count < MAX_HEADERS) headers[header_count++] = value;
        else if (!strcmp(option, "-s")) expected_status = atoi(value);
        else if (!strcmp(option, "-m")) must_contain = value;
        else if (!strcmp(option, "--watchers")) watchers = atoi(value);
        else if (!strcmp(option, "--trigger")) trigger = value;
        else if (!strcmp(option, "--trigger-body")) trigger_body = value;
        else {
            fprintf(stderr, "keyward-load: unknown option %s\n", option);
            return 1;
        }
    }
    if (total <= 0 && seconds <= 0) total = 10000;
    request_text = build_request(method, path, body, body_length, &request_length);
    if (watchers > 0) {
        if (!trigger) {
            fprintf(stderr, "keyward-load: --watchers needs --trigger\n");
            return 1;
        }
        return run_watchers(watchers, trigger, trigger_body);
    }
    return run_load(connections, total, seconds);
}
