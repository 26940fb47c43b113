#define _POSIX_C_SOURCE 200809L
#include "emu.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int emu_start(emu *e, const char *path, const char *const *flags) {
    const char *argv[32];
    int argc = 0, fds[2], rc;
    char line[1024];
    size_t used = 0;
    posix_spawn_file_actions_t actions;

    memset(e, 0, sizeof *e);
    argv[argc++] = path;
    argv[argc++] = "--port";
    argv[argc++] = "0";
    argv[argc++] = "--exit-with-parent"; /* no orphan when the test process dies */
    while (flags && *flags && argc < 31) argv[argc++] = *flags++;
    argv[argc] = NULL;
    if (pipe(fds) != 0) return -1;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    rc = posix_spawn(&e->pid, path, &actions, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return -1;
    }
    /* The start-up line: {"url":"http://127.0.0.1:N","caFile":null} */
    while (used + 1 < sizeof line) {
        struct pollfd p;
        ssize_t n;
        p.fd = fds[0];
        p.events = POLLIN;
        if (poll(&p, 1, 15000) <= 0) break;
        n = read(fds[0], line + used, 1);
        if (n <= 0) break;
        if (line[used] == '\n') break;
        used += (size_t)n;
    }
    line[used] = '\0';
    close(fds[0]);
    if (emu_json_string(line, "url", e->url, sizeof e->url) != 0) {
        emu_stop(e);
        return -1;
    }
    return 0;
}

void emu_stop(emu *e) {
    int status;
    if (e->pid <= 0) return;
    kill(e->pid, SIGTERM);
    while (waitpid(e->pid, &status, 0) < 0 && errno == EINTR) {
    }
    e->pid = 0;
}

typedef struct buffer {
    char *data;
    size_t size;
} buffer;

static size_t collect(char *data, size_t size, size_t count, void *user) {
    buffer *b = (buffer *)user;
    size_t n = size * count;
    char *grown = (char *)realloc(b->data, b->size + n + 1);
    if (!grown) return 0;
    memcpy(grown + b->size, data, n);
    b->size += n;
    grown[b->size] = '\0';
    b->data = grown;
    return n;
}

long emu_request(const emu *e, const char *method, const char *path, const char *json_body,
                 char **body) {
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = NULL;
    char url[512];
    buffer b = {NULL, 0};
    long status = -1;
    if (body) *body = NULL;
    if (!curl) return -1;
    snprintf(url, sizeof url, "%s%s", e->url, path);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    if (json_body) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json_body);
    }
    if (curl_easy_perform(curl) == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (body) {
        *body = b.data;
    } else {
        free(b.data);
    }
    return status;
}

int emu_json_string(const char *json, const char *key, char *out, size_t out_size) {
    char pattern[128];
    const char *p, *end;
    size_t n;
    if (!json) return -1;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    p = strstr(json, pattern);
    if (!p) return -1;
    p += strlen(pattern);
    end = strchr(p, '"');
    if (!end) return -1;
    n = (size_t)(end - p);
    if (n + 1 > out_size) return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}
