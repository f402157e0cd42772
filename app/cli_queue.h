/* cli_queue — `recaudo queue list|retry KEY|export [DIR]` (app/main.c dispatches;
 * docs/maintenance.md "Cola de envío"), over offline/outbox_admin.h. The maintenance screen
 * (app/maint_queue.c) writes the same audit details with the helpers below. */
#ifndef RECAUDO_CLI_QUEUE_H
#define RECAUDO_CLI_QUEUE_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outbox_admin.h"

/* args: what follows "queue" (argv-like, n of them). config_path: --config (NULL: defaults,
 * [maintenance] removable_dir is the export's default directory and [kiosk] id names the file).
 *   list [--json]   counts, oldest unsynced age, dead letters (masked IDs); read-only
 *   retry KEY       a dead letter back to pending with the same key; audited queue.retry
 *   export [DIR]    the queue and dead letters as JSON in DIR; audited queue.export
 * Returns the exit code: 0; 1 with a message on err; 2 for a usage error. */
int cli_queue(const char *config_path, const char *data_dir, const char *const *args, int n, int json,
	      FILE *out, FILE *err);

/* The audit detail (codes only; numbers of 6+ digits grouped with '.', as the audit log
 * refuses digit runs that long): "seq=12" / "code=not_dead"; "events=1.204 dead=3" /
 * "code=read_only". */
void queue_retry_detail(char *buf, size_t n, enum outbox_retry r, uint64_t seq);
void queue_export_detail(char *buf, size_t n, enum outbox_export_rc r, const struct outbox_export_result *res);
/* "queue=N dead=M" after a sync round that reached the server. */
void queue_sync_detail(char *buf, size_t n, int64_t queue_depth, int64_t dead);
#endif
