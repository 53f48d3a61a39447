/*
 * info_round: the document of the round screen: the current round as
 * core_round_get() reads it back (dates, the notices, who may be
 * nominated, the nine conditions, the quota categories and tree with
 * their holders) and the notice's own inconsistencies as
 * core_round_check() reports them.  Those are shown as the notice states
 * them, next to the readings the round file records; nothing here
 * corrects a figure.
 *
 * A round file is data someone wrote: every string from it is untrusted
 * and goes into the document through info_doc (sanitized).  Text with a
 * Chinese and an English version follows the user's language.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/info.h"
#include "tui/text.h"

/* zh or en by the user's language; never NULL. */
static const char *
pick(const struct ui *ui, const char *zh, const char *en)
{
	if (info_lang_en(ui) && en && en[0]) {
		return en;
	}
	return zh ? zh : "";
}

/* "2020-12-15T23:59:59+08:00" as "2020-12-15 23:59:59 +08:00". */
static void
time_label(const char *s, char *out, size_t size)
{
	if (strlen(s) >= 20 && s[10] == 'T') {
		snprintf(out, size, "%.10s %.8s %s", s, s + 11, s + 19);
	} else {
		snprintf(out, size, "%s", s);
	}
}

static void
unit_label(struct ui *ui, const char *code, char *out, size_t size)
{
	struct core_unit u;

	if (core_unit_get(ui->c, code, &u) == 0 && u.name[0]) {
		snprintf(out, size, "%s (%s)", u.name, code);
	} else {
		snprintf(out, size, "%s", code);
	}
}

static void
kv_if(struct info_doc *d, const char *label, const char *value)
{
	if (value && value[0]) {
		info_doc_kv(d, 0, INFO_NORMAL, label, value);
	}
}

static void
add_overview(struct ui *ui, struct info_doc *d, const struct core_round *r)
{
	char buf[CORE_NAME_SIZE + 64];

	info_doc_section(d, _("The round"), INFO_ANCHOR_NONE);
	snprintf(buf, sizeof(buf), _("%s: year %d, batch %d"), r->code, r->year,
	         r->batch);
	info_doc_kv(d, 0, INFO_NORMAL, _("Round"), buf);
	info_doc_kv(d, 0, INFO_BOLD, _("Round title"),
	            pick(ui, r->title_zh, r->title_en));
	snprintf(buf, sizeof(buf), _("%d seats"), r->target);
	info_doc_kv(d, 0, INFO_BOLD, _("Seats to fill"), buf);
	unit_label(ui, r->receiver, buf, sizeof(buf));
	info_doc_kv(d, 0, INFO_NORMAL, _("Reports go to"), buf);
	kv_if(d, _("Source"), r->source);
}

static const char *
tier_label(const char *tier)
{
	if (strcmp(tier, "county") == 0) {
		return _("County/district notice");
	}
	if (strcmp(tier, "department") == 0) {
		return _("Department notice");
	}
	if (strcmp(tier, "city") == 0) {
		return _("City notice");
	}
	return tier;
}

static void
add_dates(struct info_doc *d, const struct core_round *r)
{
	char buf[256];
	size_t i;

	info_doc_section(d, _("Dates and notices"), INFO_ANCHOR_NONE);
	time_label(r->deadline, buf, sizeof(buf));
	info_doc_kv(d, 0, INFO_BOLD, _("Report deadline"), buf);
	if (r->deadline_county[0]) {
		time_label(r->deadline_county, buf, sizeof(buf));
		info_doc_kv(d, 0, INFO_NORMAL, _("County deadline"), buf);
	}
	if (r->deadline_department[0]) {
		time_label(r->deadline_department, buf, sizeof(buf));
		info_doc_kv(d, 0, INFO_NORMAL, _("Department deadline"), buf);
	}
	kv_if(d, _("Reading"), r->deadline_reading);
	for (i = 0; i < r->n_notices; i++) {
		const struct core_round_notice *n = &r->notices[i];

		if (n->days < 0) {
			snprintf(buf, sizeof(buf), "%s",
			         _("length not stated"));
		} else if (strcmp(n->day_type, "working") == 0) {
			snprintf(buf, sizeof(buf), _("%d working days"),
			         n->days);
		} else if (strcmp(n->day_type, "calendar") == 0) {
			snprintf(buf, sizeof(buf), _("%d calendar days"),
			         n->days);
		} else {
			snprintf(buf, sizeof(buf),
			         _("%d days (calendar or working not stated)"),
			         n->days);
		}
		info_doc_kv(d, 0, INFO_NORMAL, tier_label(n->tier), buf);
		kv_if(d, _("Reading"), n->reading);
	}
}

static void
add_rules(struct info_doc *d, const struct core_round *r)
{
	const char *level = core_title_level_name(r->title_min);
	char buf[512];

	info_doc_section(d, _("Who may be nominated"), INFO_ANCHOR_NONE);
	snprintf(buf, sizeof(buf),
	         r->age_inclusive
	             ? _("at most %d in full years on %s (inclusive)")
	             : _("under %d in full years on %s"),
	         r->age_limit, r->age_ref_date);
	if (r->age_relaxable) {
		size_t len = strlen(buf);

		snprintf(buf + len, sizeof(buf) - len, "%s",
		         _("; may be relaxed for the particularly "
		           "outstanding"));
	}
	info_doc_kv(d, 0, INFO_BOLD, _("Age limit"), buf);
	kv_if(d, _("Reading"), r->age_reading);
	snprintf(buf, sizeof(buf), _("at least %s; %s"), level ? level : "?",
	         r->title_counts == CORE_TITLE_COUNTS_APPOINTMENT
	             ? _("the appointed title counts")
	         : r->title_counts == CORE_TITLE_COUNTS_QUALIFICATION
	             ? _("the qualification counts")
	             : _("the qualification or the appointment counts"));
	info_doc_kv(d, 0, INFO_NORMAL, _("Professional title"), buf);
	kv_if(d, _("Reading"), r->title_reading);
	snprintf(buf, sizeof(buf), _("%d years back from %s"), r->window_years,
	         r->window_ref_date);
	info_doc_kv(d, 0, INFO_NORMAL, _("Report window"), buf);
	if (r->exclude_province || r->exclude_city) {
		snprintf(buf, sizeof(buf), "%s%s%s",
		         r->exclude_province ? _("provincial leaders") : "",
		         r->exclude_province && r->exclude_city ? "; " : "",
		         r->exclude_city ? _("city leaders") : "");
		info_doc_kv(d, 0, INFO_NORMAL, _("Already selected"), buf);
	}
}

static void
add_conditions(struct ui *ui, struct info_doc *d, const struct core_round *r)
{
	size_t i;

	info_doc_section(d, _("Qualifying conditions (any one of 1-9)"),
	                 INFO_ANCHOR_CONDITIONS);
	for (i = 0; i < r->n_conditions; i++) {
		const struct core_round_condition *k = &r->conditions[i];
		char label[16], buf[CORE_TEXT_SIZE * 2];

		snprintf(label, sizeof(label), "%d", k->no);
		snprintf(buf, sizeof(buf), "%s (%s)", pick(ui, k->zh, k->en),
		         k->evidence == CORE_EVIDENCE_DOCUMENTARY
		             ? _("documentary evidence")
		             : _("the panel's judgement"));
		info_doc_kv(d, 0, INFO_NORMAL, label, buf);
	}
}

/* Appends part to a "; "-separated list in out. */
static void
join(char *out, size_t size, const char *part)
{
	size_t len = strlen(out);

	snprintf(out + len, size - len, "%s%s", len ? "; " : "", part);
}

static void
add_categories(struct ui *ui, struct info_doc *d, const struct core_round *r)
{
	size_t i;

	info_doc_section(d, _("Quota categories"), INFO_ANCHOR_NONE);
	for (i = 0; i < r->n_categories; i++) {
		const struct core_round_category *k = &r->categories[i];
		char buf[1024];

		if (!k->relax) {
			snprintf(buf, sizeof(buf), "%s",
			         _("no rule is relaxed"));
		} else {
			char what[256] = "";

			if (k->relax & CORE_RELAX_TITLE) {
				join(what, sizeof(what), _("the title rule"));
			}
			if (k->relax & CORE_RELAX_AGE) {
				join(what, sizeof(what), _("the age limit"));
			}
			if (k->relax & CORE_RELAX_CONDITIONS) {
				join(what, sizeof(what), _("the conditions"));
			}
			snprintf(buf, sizeof(buf), _("may relax: %s"), what);
		}
		info_doc_text(d, 0, INFO_BOLD,
		              pick(ui, k->name_zh, k->name_en));
		info_doc_text(d, 4, INFO_NORMAL, buf);
		if (k->text && k->text[0]) {
			info_doc_text(d, 4, INFO_NORMAL, k->text);
		}
	}
}

static void
add_holders(struct ui *ui, struct info_doc *d, const struct core_quota_node *q)
{
	char buf[TEXT_LINE_SIZE];
	size_t j, len;

	if (q->n_children > 0) {
		return;
	}
	if (q->any_holder) {
		info_doc_textf(d, q->depth * 2 + 4, INFO_NORMAL, "%s",
		               _("Holders: any unit may report here"));
		return;
	}
	len = (size_t)snprintf(buf, sizeof(buf), "%s", _("Holders: "));
	for (j = 0; j < q->n_holders && len < sizeof(buf); j++) {
		struct core_unit u;
		const char *name = core_unit_get(ui->c, q->holders[j], &u) == 0
		                       ? u.name
		                       : q->holders[j];

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		                        j ? "; " : "", name);
	}
	info_doc_text(d, q->depth * 2 + 4, INFO_NORMAL, buf);
}

static void
add_quotas(struct ui *ui, struct info_doc *d, const struct core_round *r)
{
	size_t i;

	info_doc_section(d, _("Quotas and holders (as the notice states them)"),
	                 INFO_ANCHOR_QUOTAS);
	for (i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *q = &r->nodes[i];
		char fig[64], buf[CORE_NAME_SIZE * 2];
		size_t len;

		if (q->uncapped) {
			snprintf(fig, sizeof(fig), "%s", _("no limit"));
		} else if (q->limit >= 0) {
			snprintf(fig, sizeof(fig), _("%lld slots"),
			         (long long)q->limit);
		} else {
			snprintf(fig, sizeof(fig), "%s",
			         _("a share of the pool above"));
		}
		len = (size_t)snprintf(buf, sizeof(buf), "%s: %s",
		                       pick(ui, q->name_zh, q->name_en), fig);
		if (q->justification && len < sizeof(buf)) {
			len += (size_t)snprintf(
			    buf + len, sizeof(buf) - len, " (%s)",
			    _("exceptional path: a justification is "
			      "required"));
		}
		if (!q->enforce && len < sizeof(buf)) {
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			                        " (%s)", _("not enforced"));
		}
		info_doc_text(d, q->depth * 2,
		              q->depth ? INFO_NORMAL : INFO_BOLD, buf);
		add_holders(ui, d, q);
	}
}

static void
add_findings(struct ui *ui, struct info_doc *d, const struct core_round *r)
{
	struct core_round_finding *f = NULL;
	size_t n = 0, i;

	info_doc_section(d, _("The notice's own inconsistencies"),
	                 INFO_ANCHOR_FINDINGS);
	info_doc_text(d, 0, INFO_NORMAL,
	              _("As the round check reports them: the notice's "
	                "figures are kept as stated, nothing is corrected."));
	if (core_round_check(r, &f, &n) != 0) {
		ui_msg(ui, 1, "%s", core_strerror(CORE_EINTERNAL));
		return;
	}
	for (i = 0; i < n; i++) {
		info_doc_kv(d, 0, INFO_BOLD, f[i].issue[0] ? f[i].issue : "-",
		            f[i].message);
	}
	if (n == 0) {
		info_doc_text(d, 0, INFO_NORMAL,
		              _("None: the quota figures add up."));
	}
	free(f);
}

static void
add_readings(struct info_doc *d, const struct core_round *r)
{
	size_t i;

	if (r->n_readings == 0) {
		return;
	}
	info_doc_section(d, _("Readings of the notice"), INFO_ANCHOR_NONE);
	for (i = 0; i < r->n_readings; i++) {
		const struct core_round_reading *g = &r->readings[i];
		char buf[TEXT_LINE_SIZE];

		snprintf(buf, sizeof(buf), "%s\n%s %s %s", g->text,
		         _("Read as:"), g->reading,
		         g->chosen_by[0] ? _("(signed)")
		                         : _("(not signed yet)"));
		info_doc_kv(d, 0, INFO_NORMAL, g->issue, buf);
	}
}

void
info_round_build(struct ui *ui)
{
	struct info_doc *d = &ui->info->doc;
	struct core_round *r = NULL;
	int rv;

	info_doc_clear(d);
	if ((rv = core_round_get(ui->c, NULL, &r)) != 0) {
		ui_core_error(ui, rv);
		info_doc_text(d, 0, INFO_ALERT, ui->msg);
		return;
	}
	add_overview(ui, d, r);
	add_dates(d, r);
	add_rules(d, r);
	add_conditions(ui, d, r);
	add_categories(ui, d, r);
	add_quotas(ui, d, r);
	add_findings(ui, d, r);
	add_readings(d, r);
	core_round_free(r);
}
