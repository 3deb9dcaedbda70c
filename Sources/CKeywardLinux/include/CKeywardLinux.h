// Linux calls that Glibc hides from Swift unless _GNU_SOURCE is set: SO_PEERCRED's
// struct ucred, prctl, setrlimit, mlock/madvise. Every symbol is prefixed CKeywardLinux_.
#ifndef CKEYWARD_LINUX_H
#define CKEYWARD_LINUX_H

#include <stdint.h>
#include <sys/types.h>

/// Mirrors struct ucred (checked against it in shim.c).
typedef struct {
    int32_t pid;
    uint32_t uid;
    uint32_t gid;
} CKeywardLinux_ucred;

/// SOL_SOCKET / SO_PEERCRED / SO_PEERGROUPS, for SocketOptionProvider.
int CKeywardLinux_solSocket(void);
int CKeywardLinux_soPeerCred(void);
int CKeywardLinux_soPeerGroups(void);
/// SO_PEERPIDFD (Linux 6.5): a pidfd of the peer process as it was at connect time.
int CKeywardLinux_soPeerPidfd(void);

/// Whether the process behind `pidfd` has exited (the pidfd polls readable): 1, 0, or -1.
int CKeywardLinux_pidfdExited(int pidfd);

/// Room for SO_PEERGROUPS: the peer's supplementary groups as the kernel holds them (sorted
/// ascending) at connect time. A peer with more groups than this makes getsockopt fail
/// with ERANGE.
#define CKEYWARD_LINUX_PEER_GROUPS_CAPACITY 1024
typedef struct {
    uint32_t gids[CKEYWARD_LINUX_PEER_GROUPS_CAPACITY];
} CKeywardLinux_peerGroups;

/// How many gids of a zero-filled SO_PEERGROUPS answer are real: the kernel's list is sorted,
/// so the zero padding is the tail. A lone 0 (the peer's only supplementary group is root's)
/// cannot be told from no groups and is not counted: a grant fails closed.
int CKeywardLinux_peerGroupCount(const CKeywardLinux_peerGroups *groups);

/// The peer credentials of a connected Unix socket; 0 on success, -1 with errno.
int CKeywardLinux_peerCredentials(int fd, CKeywardLinux_ucred *out);

/// prctl(PR_SET_DUMPABLE, 0): no core dumps, no ptrace by the same uid. 0 or -1.
int CKeywardLinux_disableDumping(void);

/// setrlimit(RLIMIT_CORE, 0). 0 or -1.
int CKeywardLinux_disableCoreFiles(void);

/// mlock + madvise(MADV_DONTDUMP) on the pages of [address, address+length). 0 or -1.
int CKeywardLinux_protectSecretMemory(void *address, size_t length);

/// Page-aligned memory of at least `length` bytes, in whole pages of its own, locked in RAM
/// and excluded from core dumps where the kernel allows. `*protected` says whether it is.
/// Free with CKeywardLinux_freeSecretPages. NULL when out of memory.
void *CKeywardLinux_allocateSecretPages(size_t length, size_t *allocated, int *protected);

/// setpriority(PRIO_PROCESS, gettid(), nice) for the calling thread only. 0 or -1 with errno.
int CKeywardLinux_setThreadNice(int nice);

/// Names the calling thread (15 bytes are kept): what top -H and ps -L show.
int CKeywardLinux_setThreadName(const char *name);

/// Zeroes, unlocks and frees memory from CKeywardLinux_allocateSecretPages.
void CKeywardLinux_freeSecretPages(void *address, size_t allocated);

#endif
