/* libFuzzer target for the configuration layer.
 *
 * Parses arbitrary text as an ASA/PIX configuration.  Whatever the input,
 * the diagnostics must be printable and every error must carry a message.
 * When the text loads, the model is written back (with and without
 * secrets); the full output must load again into an equal model and write
 * the same text (parser and writer agree), otherwise the target aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

static void check_diags(const struct conf_diags *d)
{
	size_t errors = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (!d->d[i].msg)
			abort();
		errors += d->d[i].kind == DIAG_ERROR;
	}
	if (errors > d->n_errors)
		abort();
	FILE *null = fopen("/dev/null", "w");
	if (null) {
		conf_diags_print(d, "fuzz.conf", null);
		fclose(null);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_diags d;
	struct conf *c = conf_parse((const char *)data, size, "fuzz.conf", &d);
	check_diags(&d);
	if ((c == NULL) != (d.n_errors != 0))
		abort();
	conf_diags_free(&d);
	if (!c)
		return 0;

	char *masked = conf_write(c, false);
	char *full = conf_write(c, true);
	if (!masked || !full)
		abort();
	struct conf *r = conf_parse(full, strlen(full), "written.conf", &d);
	if (!r || !conf_equal(c, r)) {
		fprintf(stderr, "writer output does not load back into an equal model:\n%s\n", full);
		conf_diags_print(&d, "written.conf", stderr);
		abort();
	}
	conf_diags_free(&d);
	char *again = conf_write(r, true);
	if (!again || strcmp(again, full) != 0)
		abort();
	/* the masked form never loads if it masked anything */
	if (strcmp(masked, full) != 0) {
		struct conf *m = conf_parse(masked, strlen(masked), "masked.conf", &d);
		if (m)
			abort();
		conf_diags_free(&d);
	}
	free(again);
	free(masked);
	free(full);
	conf_unref(r);
	conf_unref(c);
	return 0;
}
