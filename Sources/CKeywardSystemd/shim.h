// The wall between Keyward and libsystemd. sd_notify and sd_journal_sendv import
// directly; sd_notifyf and sd_journal_send are variadic and are not used from Swift.
// SD_LISTEN_FDS_START is a macro constant that Swift cannot see through an enum.
#ifndef CKEYWARD_SYSTEMD_SHIM_H
#define CKEYWARD_SYSTEMD_SHIM_H

#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>

static inline int CKeywardSystemd_listenFDsStart(void) {
    return SD_LISTEN_FDS_START;
}

#endif
