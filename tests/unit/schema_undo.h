/* schema_undo — SQL that takes a store back below a schema version, for the tests that build
 * an old store from a new one and then open it to watch the migrations run. */
#ifndef RECAUDO_SCHEMA_UNDO_H
#define RECAUDO_SCHEMA_UNDO_H
/* version 9's field-mode tables and indexes (offline/store_schema.c) */
#define SCHEMA_UNDO_9                                                                              \
	" DROP TABLE agents; DROP TABLE agent_clients; DROP TABLE customer_words;"                 \
	" DROP TABLE field_receipt_lines; DROP TABLE field_receipts; DROP TABLE field_closes;"     \
	" DROP INDEX customers_by_name;"
#endif
