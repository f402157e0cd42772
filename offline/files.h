/* files — the data directory and the secret files, kept private and durable.
 *
 * The data directory holds the store (names, ID numbers, money events), the coupon key and the
 * receipts: it is 0700 and everything in it 0600, whatever the umask. Secret files (the device
 * secret, the coupon QR key) are refused when anyone but their owner can read them, or when
 * their owner is neither the kiosk's user nor root, as ssh refuses a private key. A file that
 * must survive a power cut is fsynced, and so is the directory that names it.
 *
 * Every function returns 0, or -1 with a sentence for a person in err (errn bytes). No
 * function allocates. */
#ifndef RECAUDO_FILES_H
#define RECAUDO_FILES_H
#include <stddef.h>
#include <stdint.h>

/* Creates dir and its missing parents (new ones 0700) and makes dir itself 0700 if it is
 * group- or world-accessible (a store made by an older version). Refuses a dir owned by
 * another user. */
int files_private_dir(const char *dir, char *err, size_t errn);

/* Creates dir and its missing parents (mode 0700, less the umask) and changes nothing that
 * exists. *created (may be NULL) is set to how many of the path's directories were new, deepest
 * last, so files_unmake_dirs can remove exactly those. */
int files_mkdir_p(const char *dir, int *created, char *err, size_t errn);
/* Removes the `created` deepest directories of dir (each only if empty), as made by
 * files_mkdir_p: what a failed command created, and nothing else. */
void files_unmake_dirs(const char *dir, int created);

/* Makes an existing file 0600 (no-op if missing). For the store and its -wal/-shm files. */
int files_private_file(const char *path, char *err, size_t errn);

/* A secret file must exist, be a regular file, be owned by this user (or root) and be
 * readable by no one else: "permissions 0644 for 'PATH' are too open". */
int files_check_secret(const char *path, const char *what, char *err, size_t errn);
/* The same on a file already open (no gap between the check and the read); path is for the
 * message. */
int files_check_secret_fd(int fd, const char *path, const char *what, char *err, size_t errn);

/* fsync()s the directory that contains path (or path itself if it is a directory), so a
 * newly created name survives a power cut. */
int files_sync_dir(const char *path, char *err, size_t errn);

/* Free bytes for an unprivileged writer on the file system holding path, or -1. */
int64_t files_free_bytes(const char *path);

/* 1 when the file system holding path has (nearly) no room left: fewer than `need` bytes. */
int files_disk_full(const char *path, int64_t need);
#endif
