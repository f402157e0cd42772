/* config — site settings: compiled defaults (documented here) overridden by one INI file
 * (docs/configuration.md). Secrets never live in the INI: the coupon QR key is a file path.
 *
 *   [kiosk]   id, reference_length, coupon_days, brand, branch, language, biller_gln, support_line
 *   [session] inactivity_s, countdown_s, done_s
 *   [printer] backend, target, dots, profile (80mm | 58mm), native_qr (yes | no),
 *             codepage (cp858 | cp850), logo (a PNG path; "" = <assets>/logo.png, none)
 *   [security] qr_key_file
 *   [merchant] gui, id, mcc, name, city, terminal
 *   [display] font_dir, renderer (software | accelerated)
 *   [central] url, device_id, secret_file, ca_file, pinned_key, lookup_timeout_ms, refresh_s,
 *             heartbeat_s, sync_connect_timeout_ms, sync_low_speed_s
 *   [limits]  max_data_age_h, max_offline_coupon, max_offline_total (whole pesos)
 *   [retention] days, print_mb, receipts_mb
 *   [maintenance] removable_dir, usb_helper, update_helper
 *   [field]   export_dir, offline_login_days, idle_logout_s, max_data_age_days, max_unsynced_cash
 *   [services] certificate_key (the issuer's Ed25519 public key, PEM; "" = no certificates)
 */
#ifndef RECAUDO_CONFIG_H
#define RECAUDO_CONFIG_H
#include <stddef.h>
#include <stdint.h>
#include "coupon.h"
#include "escpos.h"

#define RECAUDO_VERSION "0.2.0"
#define CFG_KIOSK_ID 1                /* 1..9999, part of every reference */
#define CFG_REF_LENGTH 16             /* digits of the payment reference incl. check digit */
#define CFG_COUPON_DAYS 3             /* a coupon is payable until today + N days */
#define CFG_INACTIVITY_S 60           /* idle time before "¿Necesita más tiempo?" */
#define CFG_COUNTDOWN_S 20            /* then the session is wiped (WCAG 2.2.1: at least 20 s) */
#define CFG_DONE_S 8                  /* thank-you screen before attract */
#define CFG_PRINTED_S 20              /* a coupon whose receipt printed, without input, then thank-you */
#define CFG_PRINTER_BACKEND "virtual"
#define CFG_PRINTER_TARGET ""         /* "" = <data>/receipts */
#define CFG_PAPER_DOTS 576            /* 80 mm; 384 for 58 mm ([printer] profile or dots) */
#define CFG_PRINTER_NATIVE_QR 1       /* the printer has GS ( k; no: the QR prints as a raster */
#define CFG_PRINTER_CODEPAGE ESCPOS_CP858 /* CP850 for printers without CP858 (no euro sign) */
#define CFG_PRINTER_LOGO ""           /* "" = <assets>/logo.png; "none" = the brand as text */
#define CFG_BILLER_GLN "7709998000001" /* demo GLN (check digit 1): the bank coupon's (415) */
#define CFG_QR_KEY_FILE ""            /* "" = <data>/kiosk.key, created (0600) on first run */
#define CFG_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#define CFG_BRAND "Recaudo"
#define CFG_MERCHANT_GUI "CO.COM.RECAUDO.RBM"
#define CFG_MERCHANT_ID "900123456"
#define CFG_MERCHANT_MCC "6300"
#define CFG_MERCHANT_NAME "RECAUDO SEGUROS"
#define CFG_MERCHANT_CITY "BOGOTA"
#define CFG_LOOKUP_TIMEOUT_MS 3000    /* online lookup, then the local store */
#define CFG_SYNC_CONNECT_TIMEOUT_MS 30000 /* the sync worker's TCP + TLS handshake */
#define CFG_SYNC_LOW_SPEED_S 30       /* the sync worker gives up a request stalled this long */
#define CFG_REFRESH_S 300             /* portfolio/TRM refresh by cursor */
#define CFG_HEARTBEAT_S 60
#define CFG_MAX_DATA_AGE_H 72         /* offline lookups refuse older local data */
#define CFG_MAX_OFFLINE_COUPON 5000000LL   /* pesos per coupon while offline */
#define CFG_MAX_OFFLINE_TOTAL 20000000LL   /* pesos issued and not yet acknowledged */
#define CFG_RETENTION_DAYS 30         /* receipts older than this are pruned (docs/store.md) */
#define CFG_RETENTION_PRINT_MB 64     /* receipt bytes kept in the store */
#define CFG_RETENTION_RECEIPTS_MB 64  /* bytes kept in the virtual printer's receipts/ */
#define CFG_REMOVABLE_DIR "/media/recaudo" /* removable storage for maintenance exports/imports */
#define CFG_USB_HELPER "/run/recaudo-media.sock" /* the helper that mounts it (docs/usb-media.md) */
#define CFG_UPDATE_HELPER "/run/recaudo-update.sock" /* installs bundles (docs/update-helper.md) */
#define CFG_FIELD_EXPORT_DIR "/media/recaudo" /* field mode: where the close's CSV goes */
#define CFG_FIELD_LOGIN_DAYS 7        /* a cached password hash logs in offline this long */
#define CFG_FIELD_IDLE_S 600          /* field mode: an idle agent is logged out */
#define CFG_FIELD_DATA_AGE_DAYS 7     /* field mode works on cached data this old at most */
#define CFG_FIELD_MAX_UNSYNCED 2000000LL /* pesos an agent may hold unsynced; 0 = no cap */
#define CFG_SPEECH_VOLUME 70          /* spoken guidance's volume, 0..100 */

struct config {
	uint32_t kiosk_id;
	int ref_length;
	int coupon_days;
	int inactivity_s, countdown_s, done_s;
	char brand[48];
	char branch[64];
	char support_line[64]; /* shown when out of service, e.g. "601 555 0100"; "" = none */
	char language[3];           /* "es" or "en": the language a session starts in */
	char printer_backend[16];
	char printer_target[256];
	int paper_dots;
	int printer_native_qr;       /* 1: GS ( k QR; 0: raster fallback */
	enum escpos_codepage printer_codepage;
	char printer_logo[256];
	char biller_gln[14];         /* 13 digits, GS1 check digit verified at load */
	char qr_key_file[256];
	char font_dir[256];
	int accelerated;            /* [display] renderer: 0 software (default), 1 accelerated */
	struct emv_merchant merchant;
	char terminal[9];
	/* central API: off when url is empty (a standalone kiosk; the offline limits then do not
	 * apply, since local data is all there is) */
	char central_url[256];
	char device_id[32];
	char secret_file[256];
	char ca_file[256];
	char pinned_key[256];
	int lookup_timeout_ms;
	int sync_connect_timeout_ms, sync_low_speed_s;
	int refresh_s, heartbeat_s;
	int max_data_age_h;
	long long max_offline_coupon, max_offline_total; /* whole pesos; 0 = no limit */
	int retention_days, retention_print_mb, retention_receipts_mb;
	char removable_dir[256];     /* [maintenance]: where a technician's USB stick is mounted */
	char usb_helper[108];        /* [maintenance]: the socket of the helper that mounts it there
				      * ("": none; an absolute path otherwise) */
	char update_helper[108];     /* [maintenance]: the socket of the helper that lists and
				      * installs update bundles from it ("": none, docs/update-helper.md) */
	/* [field]: the agent's mode (docs/field-mode.md) */
	char field_export_dir[256];
	int field_login_days, field_idle_s, field_data_age_days;
	long long field_max_unsynced; /* whole pesos; 0 = no cap (an agent's own cap wins) */
	/* [accessibility] (docs/accessibility.md) */
	int speech;                   /* 1: spoken guidance can be turned on; 0: never */
	char headphones[64];          /* the output that is a headphone jack: "default", part of an
				       * SDL audio device's name, or "" (a loudspeaker only) */
	int speech_volume;            /* 0..100 */
	/* [services] (docs/account-services.md): the public key that verifies the central API's
	 * certificates (PEM file); "" = the certificate service is not offered here */
	char certificate_key[256];
};

void config_defaults(struct config *c);
/* Reads an INI file over the current values. On any unknown section/key, bad value, over-long
 * line, unknown printer backend, or a named file that is missing (or, for a secret, readable
 * by others) returns -1 with "FILE:LINE: reason" in err and leaves *c unchanged. Nothing
 * outside the file is written. */
int config_load(struct config *c, const char *path, char *err, size_t errn);
/* The same without looking at the files the settings name (fonts, logo, secrets): for
 * commands that only report, such as `recaudo status`. */
int config_load_settings(struct config *c, const char *path, char *err, size_t errn);
#endif
