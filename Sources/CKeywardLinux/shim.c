#define _GNU_SOURCE
#include <poll.h>
#include "CKeywardLinux.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(sizeof(CKeywardLinux_ucred) == sizeof(struct ucred), "ucred mirror size");
_Static_assert(offsetof(CKeywardLinux_ucred, pid) == offsetof(struct ucred, pid), "ucred pid");
_Static_assert(offsetof(CKeywardLinux_ucred, uid) == offsetof(struct ucred, uid), "ucred uid");
_Static_assert(offsetof(CKeywardLinux_ucred, gid) == offsetof(struct ucred, gid), "ucred gid");

int CKeywardLinux_solSocket(void) { return SOL_SOCKET; }
int CKeywardLinux_soPeerCred(void) { return SO_PEERCRED; }
int CKeywardLinux_soPeerGroups(void) { return SO_PEERGROUPS; }

int CKeywardLinux_soPeerPidfd(void) {
#ifdef SO_PEERPIDFD
    return SO_PEERPIDFD;
#else
    return 77; /* asm-generic/socket.h since Linux 6.5 */
#endif
}

int CKeywardLinux_pidfdExited(int pidfd) {
    struct pollfd entry = {.fd = pidfd, .events = POLLIN};
    int ready = poll(&entry, 1, 0);
    if (ready < 0) return -1;
    return ready > 0 ? 1 : 0;
}

int CKeywardLinux_peerGroupCount(const CKeywardLinux_peerGroups *groups) {
    int count = CKEYWARD_LINUX_PEER_GROUPS_CAPACITY;
    while (count > 0 && groups->gids[count - 1] == 0) count--;
    return count;
}

int CKeywardLinux_peerCredentials(int fd, CKeywardLinux_ucred *out) {
    struct ucred credentials;
    socklen_t length = sizeof(credentials);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
    out->pid = credentials.pid;
    out->uid = credentials.uid;
    out->gid = credentials.gid;
    return 0;
}

int CKeywardLinux_disableDumping(void) {
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int CKeywardLinux_disableCoreFiles(void) {
    struct rlimit current;
    // Already off (LimitCORE=0 in the unit): nothing to ask for, and the seccomp filter
    // that denies @resources would refuse the call.
    if (getrlimit(RLIMIT_CORE, &current) == 0 && current.rlim_cur == 0 && current.rlim_max == 0) return 0;
    struct rlimit none = {0, 0};
    return setrlimit(RLIMIT_CORE, &none);
}

int CKeywardLinux_protectSecretMemory(void *address, size_t length) {
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) return -1;
    uintptr_t start = (uintptr_t)address & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)address + length + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    int locked = mlock((void *)start, end - start);
    int advised = madvise((void *)start, end - start, MADV_DONTDUMP);
    return (locked == 0 && advised == 0) ? 0 : -1;
}

void *CKeywardLinux_allocateSecretPages(size_t length, size_t *allocated, int *protected) {
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) page = 4096;
    size_t size = ((length == 0 ? 1 : length) + (size_t)page - 1) & ~((size_t)page - 1);
    void *memory = NULL;
    if (posix_memalign(&memory, (size_t)page, size) != 0) return NULL;
    memset(memory, 0, size);
    int locked = mlock(memory, size);
    int advised = madvise(memory, size, MADV_DONTDUMP);
    *allocated = size;
    *protected = (locked == 0 && advised == 0) ? 1 : 0;
    return memory;
}

void CKeywardLinux_freeSecretPages(void *address, size_t allocated) {
    if (address == NULL) return;
    explicit_bzero(address, allocated);
    munlock(address, allocated);
    madvise(address, allocated, MADV_DODUMP);
    free(address);
}

int CKeywardLinux_setThreadNice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}

int CKeywardLinux_setThreadName(const char *name) {
    // The kernel keeps 15 bytes and a NUL; prctl names the calling thread.
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}
