/*
 * Spreadsheet import through core/ (core_import_file): CSV with and
 * without a BOM, GB18030 bytes made with iconv, an .xlsx written with
 * libxlsxwriter, the committed .xls fixture (tests/fixtures/nominees.xls,
 * made with python3-xlwt); every accepted value form; all rows or none
 * with every problem named by line and column; duplicates; authorization
 * by unit; one audited entry per nominee under one checkpoint.
 */
#include <iconv.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/core.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static int64_t now_ms;

static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return now_ms;
}

/* 2020-11-02 10:00 +08:00 */
#define T0 1604282400000LL

static char dir[512];

static void
make_dir(void)
{
	char err[256];

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	now_ms = T0;
}

static struct core *
as(const char *login)
{
	return fixture_open_as(dir, login, test_clock);
}

/* A valid GB 11643 number: region 140213, birth YYYYMMDD, seq. */
static const char *
idn(const char *ymd, const char *seq)
{
	static char out[8][19];
	static int n;
	char *o = out[n++ % 8];

	fixture_id_number(ymd, atoi(seq), o);
	return o;
}

static const char *
write_file(const char *name, const void *data, size_t len)
{
	static char path[8][600];
	static int k;
	char *p = path[k++ % 8];
	FILE *f;

	snprintf(p, 600, "%s/%s", test_tmpdir(), name);
	f = fopen(p, "wb");
	if (!f || fwrite(data, 1, len, f) != len) {
		test_fail(__FILE__, __LINE__, "cannot write %s", p);
		exit(1);
	}
	fclose(f);
	return p;
}

static long long
count(const char *sql)
{
	char path[600];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	        SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Imports path as login; returns the core result, report in *rep. */
static int
import(const char *login, const char *path, int dry,
       struct core_import_report *rep, struct core_receipt *rc)
{
	struct core *c = as(login);
	int r = core_import_file(c, path, dry, rep, rc);

	core_close(c);
	return r;
}

/* Is there an error at line:column whose message contains text? */
static int
has_error(const struct core_import_report *rep, size_t line, const char *column,
          const char *text)
{
	for (size_t i = 0; i < rep->n_errors; i++) {
		const struct core_import_error *e = &rep->errors[i];

		if (e->line == line && strcmp(e->column, column) == 0 &&
		    (!text || strstr(e->message, text)))
			return 1;
	}
	return 0;
}

static void
dump_errors(const struct core_import_report *rep)
{
	for (size_t i = 0; i < rep->n_errors; i++)
		printf("#     %zu:%s: %s\n", rep->errors[i].line,
		       rep->errors[i].column, rep->errors[i].message);
}

static void
get(const char *login, int64_t id, struct core_dossier *d)
{
	struct core *c = as(login);

	if (core_nominee_get(c, id, d) != 0)
		test_fail(__FILE__, __LINE__, "get %lld: %s", (long long)id,
		          core_errmsg(c));
	core_close(c);
}

static const char header_zh[] =
    "姓名,性别,出生日期,身份证号,工作单位,专业技术职务,职称级别,"
    "聘任时间,学历,学位,所属系统,名额类别,推荐方式,符合条件,"
    "已入选带头人,专业或研究方向,联系电话\r\n";

static void
test_import__csv_with_bom(void)
{
	struct core_import_report rep;
	struct core_receipt rc;
	struct core_dossier *d = calloc(1, sizeof(*d));
	char csv[4096];
	const char *p;
	long long entries;

	make_dir();
	snprintf(csv, sizeof(csv),
	         "\xEF\xBB\xBF%s"
	         "李明,男,1975-03-02,%s,140213-e001,主任医师,正高级,"
	         "2015-12-01,博士研究生,博士,卫生,综合,单位推荐,1、4,无,"
	         "心血管内科,'+86-139-1234-5678\r\n"
	         "\"张 \"\"小\"\" 红\",F,1978/4/5,%s,平城区中心医院（演示）,"
	         "副主任医师,副高,,硕士研究生,硕士,卫生,general,个人自荐,"
	         "\"2,9\",none,\"影像,诊断\",0352-1234567\r\n",
	         header_zh, idn("19750302", "123"), idn("19780405", "234"));
	p = write_file("a.csv", csv, strlen(csv));
	entries = count("SELECT count(*) FROM log_entry");
	memset(&rc, 0, sizeof(rc));
	CHECK_INT(import("pc_clerk", p, 0, &rep, &rc), 0);
	dump_errors(&rep);
	CHECK_STR(rep.format, "csv");
	CHECK_STR(rep.encoding, "UTF-8 BOM");
	CHECK_INT(rep.n_rows, 2);
	CHECK_INT(rep.n_imported, 2);
	CHECK_INT(rep.n_errors, 0);
	/* one entry per nominee, one checkpoint covering both */
	CHECK_INT(count("SELECT count(*) FROM log_entry") - entries, 2);
	CHECK_INT(count("SELECT count(*) FROM log_entry WHERE act = 1"), 2);
	CHECK_INT(rc.tree_size, entries + 2);
	CHECK_INT(count("SELECT count(*) FROM log_checkpoint WHERE size = "
	                "(SELECT count(*) FROM log_entry)"),
	          1);

	get("pc_clerk", rep.first_id, d);
	CHECK_STR(d->n.name, "李明");
	CHECK_STR(d->n.birth_date, "1975-03-02");
	CHECK_STR(d->n.unit, "140213-e001");
	CHECK_STR(d->title_level, "正高级");
	CHECK_STR(d->title_date, "2015-12-01");
	CHECK_STR(d->quota_category, "综合");
	CHECK_STR(d->phone, "+86-139-1234-5678"); /* the ' guard undone */
	CHECK(strchr(d->id_number, '*') != NULL); /* read back masked */
	CHECK(d->has_condition[1] && d->has_condition[4]);
	CHECK(!d->has_condition[2]);
	CHECK_STR(d->condition[4], ""); /* evidence comes later */
	CHECK_STR(d->n.state, "draft");
	CHECK_INT(d->n.version, 1);

	get("pc_clerk", rep.last_id, d);
	CHECK_STR(d->n.name, "张 \"小\" 红");
	CHECK_STR(d->n.gender, "女");
	CHECK_STR(d->n.birth_date, "1978-04-05");
	CHECK_STR(d->title_level, "副高级");
	CHECK_STR(d->quota_category, "综合");
	CHECK_STR(d->prior_leader, "无");
	CHECK(d->has_condition[2] && d->has_condition[9]);
	core_import_report_release(&rep);
	free(d);
}

static void
test_import__csv_without_bom_english_headers_any_order(void)
{
	struct core_import_report rep;
	struct core_dossier *d = calloc(1, sizeof(*d));
	char csv[2048];

	make_dir();
	snprintf(csv, sizeof(csv),
	         "Title Level,unit,NAME,birth_date,gender,title,id_number\n"
	         "正高,140213-e001,王五,1970.12.16,男,教授,%s\n",
	         idn("19701216", "345"));
	CHECK_INT(import("pc_clerk", write_file("b.csv", csv, strlen(csv)), 0,
	                 &rep, NULL),
	          0);
	dump_errors(&rep);
	CHECK_STR(rep.encoding, "UTF-8");
	CHECK_INT(rep.n_imported, 1);
	get("pc_clerk", rep.first_id, d);
	CHECK_STR(d->n.birth_date, "1970-12-16");
	CHECK_STR(d->title_level, "正高级");
	core_import_report_release(&rep);
	free(d);
}

static void
test_import__every_date_form(void)
{
	static const struct {
		const char *in, *out, *precision;
	} forms[] = {
	    {"1975-03-02", "1975-03-02", "day"},
	    {"1975/3/2", "1975-03-02", "day"},
	    {"1975年3月2日", "1975-03-02", "day"},
	    {"1975.03.02", "1975-03-02", "day"},
	    {"19750302", "1975-03-02", "day"},
	    {"1975-03-02 00:00:00", "1975-03-02", "day"},
	    {"１９７５－０３－０２", "1975-03-02", "day"},
	    {"1975-03", "1975-03", "month"},
	    {"1975.03", "1975-03", "month"},
	    {"1975年3月", "1975-03", "month"},
	    {"1975/3", "1975-03", "month"},
	};
	struct core_import_report rep;
	struct core_dossier *d = calloc(1, sizeof(*d));
	char csv[8192];
	size_t off, n = sizeof(forms) / sizeof(forms[0]);

	make_dir();
	off = (size_t)snprintf(csv, sizeof(csv),
	                       "姓名,性别,出生年月,工作单位,专业技术职务,"
	                       "职称级别\n");
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(csv + off, sizeof(csv) - off,
		                        "人%zu,男,%s,140213-e001,教授,"
		                        "正高级\n",
		                        i, forms[i].in);
	CHECK_INT(
	    import("pc_clerk", write_file("d.csv", csv, off), 0, &rep, NULL),
	    0);
	dump_errors(&rep);
	CHECK_INT(rep.n_imported, n);
	for (size_t i = 0; i < n && rep.n_imported == n; i++) {
		get("pc_clerk", rep.first_id + (int64_t)i, d);
		CHECK_STR(d->n.birth_date, forms[i].out);
		CHECK_STR(d->birth_precision, forms[i].precision);
	}
	core_import_report_release(&rep);
	free(d);
}

static void
test_import__gb18030(void)
{
	struct core_import_report rep;
	struct core_dossier *d = calloc(1, sizeof(*d));
	char utf8[1024], gb[1024], *ip = utf8, *op = gb;
	size_t il, ol = sizeof(gb);
	iconv_t cd = iconv_open("GB18030", "UTF-8");

	make_dir();
	snprintf(utf8, sizeof(utf8),
	         "姓名,性别,出生日期,工作单位,专业技术职务,职称级别,"
	         "专业或研究方向\r\n"
	         "欧阳䶮,女,1980年1月2日,平城区中心医院（演示）,主任医师,"
	         "正高级,神经内科\r\n");
	il = strlen(utf8);
	CHECK(cd != (iconv_t)-1);
	CHECK(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	CHECK_INT(import("pc_clerk", write_file("gb.csv", gb, sizeof(gb) - ol),
	                 0, &rep, NULL),
	          0);
	dump_errors(&rep);
	CHECK_STR(rep.encoding, "GB18030");
	CHECK_INT(rep.n_imported, 1);
	get("pc_clerk", rep.first_id, d);
	CHECK_STR(d->n.name, "欧阳䶮");
	CHECK_STR(d->specialty, "神经内科");
	CHECK_STR(d->n.birth_date, "1980-01-02");
	core_import_report_release(&rep);
	free(d);
}

/* Good and bad rows: nothing is imported and every problem is named. */
static void
test_import__bad_rows_import_nothing(void)
{
	struct core_import_report rep;
	char csv[4096];
	long long nominees, entries;

	make_dir();
	snprintf(csv, sizeof(csv),
	         "%s"
	         /* 2 good */
	         "李明,男,1975-03-02,%s,140213-e001,主任医师,正高级,,,,,,,"
	         "1,无,,\r\n"
	         /* 3 bad gender, bad date, bad title level */
	         "王二,X,1975-13-40,,140213-e001,主任医师,特级,,,,,,,,,,\r\n"
	         /* 4-5 a quoted cell across two lines; bad check digit */
	         "\"赵\n四\",男,1976-01-01,140213197601011230,140213-e001,"
	         "教授,正高级,,,,,,,,,,\r\n"
	         /* 6 good */
	         "钱五,女,1977-02-03,,140213-e001,教授,副高级,,,,,,,,,,\r\n"
	         "\r\n"
	         /* 8 unknown unit, condition 0, phone, missing title */
	         "孙六,男,1978-01-01,,no-such-unit,,正高级,,,,,,,0、12,,,"
	         "abc\r\n"
	         /* 9 future birth date, bad degree, bad channel */
	         "周七,男,2030-01-01,,140213-e001,教授,正高级,,,硕士后,"
	         "其他,综合,毛遂自荐,,市级,,\r\n",
	         header_zh, idn("19750302", "123"));
	nominees = count("SELECT count(*) FROM nominee");
	entries = count("SELECT count(*) FROM log_entry");
	CHECK_INT(import("pc_clerk", write_file("bad.csv", csv, strlen(csv)), 0,
	                 &rep, NULL),
	          CORE_EINVAL);
	dump_errors(&rep);
	CHECK_INT(rep.n_imported, 0);
	CHECK_INT(count("SELECT count(*) FROM nominee"), nominees);
	CHECK_INT(count("SELECT count(*) FROM log_entry"), entries);
	CHECK(has_error(&rep, 3, "B", NULL));       /* gender */
	CHECK(has_error(&rep, 3, "C", NULL));       /* date */
	CHECK(has_error(&rep, 3, "G", NULL));       /* title level */
	CHECK(has_error(&rep, 4, "A", NULL));       /* a line feed in a name */
	CHECK(has_error(&rep, 4, "D", "GB 11643")); /* record of line 4 */
	CHECK(has_error(&rep, 8, "E", "no-such-unit"));
	CHECK(has_error(&rep, 8, "F", NULL)); /* title required */
	CHECK(has_error(&rep, 8, "N", NULL)); /* conditions */
	CHECK(has_error(&rep, 8, "Q", NULL)); /* phone */
	CHECK(has_error(&rep, 9, "C", NULL)); /* future */
	CHECK(has_error(&rep, 9, "J", NULL)); /* degree */
	CHECK(has_error(&rep, 9, "M", NULL)); /* channel */
	CHECK(!has_error(&rep, 2, "A", NULL));
	CHECK(!has_error(&rep, 6, "A", NULL));
	for (size_t i = 0; i < rep.n_errors; i++) {
		CHECK(rep.errors[i].line >= 2);
		CHECK(rep.errors[i].column[0] != '\0');
	}
	CHECK_INT(rep.n_errors, 12);
	core_import_report_release(&rep);
}

/* Lines as the file has them: a record starts where its first cell
 * starts; blank lines count; the last line may lack its LF; a bare CR
 * ends a record but not a line. */
static void
test_import__line_numbers(void)
{
	struct core_import_report rep;
	const char csv[] =
	    "\n"
	    "姓名,性别,出生日期,工作单位,专业技术职务,职称级别\r\n"
	    "\r\n"
	    "\"李\n\n明\",男,1975-03-02,140213-e001,教授,正高级\n"
	    "   \n"
	    "王五,男,1975-03-02,140213-e001,教授,正高级\r"
	    "赵六,Q,1975-03-02,140213-e001,教授,正高级\n"
	    "孙七,男,1975-03-02,140213-e001,教授,特级";

	make_dir();
	CHECK_INT(import("pc_clerk", write_file("l.csv", csv, sizeof(csv) - 1),
	                 1, &rep, NULL),
	          CORE_EINVAL);
	dump_errors(&rep);
	CHECK(has_error(&rep, 4, "A", NULL)); /* the name's line feeds */
	CHECK(has_error(&rep, 8, "B", NULL)); /* after a bare CR */
	CHECK(has_error(&rep, 9, "F", NULL)); /* no LF at the end */
	CHECK_INT(rep.n_errors, 3);
	CHECK_INT(rep.n_rows, 4);
	core_import_report_release(&rep);
}

static void
test_import__headers_checked(void)
{
	struct core_import_report rep;
	const char csv[] = "姓名,性别,生日,工作单位,职称级别,姓名\n"
	                   "李明,男,1975-03-02,140213-e001,正高级,李明\n";

	make_dir();
	CHECK_INT(import("pc_clerk", write_file("h.csv", csv, sizeof(csv) - 1),
	                 0, &rep, NULL),
	          CORE_EINVAL);
	dump_errors(&rep);
	CHECK(has_error(&rep, 1, "C", "生日"));    /* unknown header */
	CHECK(has_error(&rep, 1, "F", "twice"));   /* duplicate */
	CHECK(has_error(&rep, 1, "", "出生日期")); /* required missing */
	CHECK(has_error(&rep, 1, "", "专业技术职务"));
	CHECK_INT(count("SELECT count(*) FROM nominee"), 0);
	core_import_report_release(&rep);
}

static void
test_import__duplicates_refused(void)
{
	struct core_import_report rep;
	char csv[2048];
	const char *same = idn("19750302", "123");

	make_dir();
	snprintf(csv, sizeof(csv),
	         "姓名,性别,出生日期,身份证号,工作单位,专业技术职务,职称级别\n"
	         "李明,男,1975-03-02,%s,140213-e001,教授,正高级\n"
	         "李明,男,1975-03-02,%s,140213-e001,教授,正高级\n",
	         same, same);
	CHECK_INT(import("pc_clerk", write_file("dup.csv", csv, strlen(csv)), 0,
	                 &rep, NULL),
	          CORE_EINVAL);
	CHECK(has_error(&rep, 3, "D", "line 2"));
	CHECK_INT(count("SELECT count(*) FROM nominee"), 0);
	core_import_report_release(&rep);

	/* once is fine; again, against the round, is refused */
	snprintf(csv, sizeof(csv),
	         "姓名,性别,出生日期,身份证号,工作单位,专业技术职务,职称级别\n"
	         "李明,男,1975-03-02,%s,140213-e001,教授,正高级\n",
	         same);
	CHECK_INT(import("pc_clerk", write_file("one.csv", csv, strlen(csv)), 0,
	                 &rep, NULL),
	          0);
	core_import_report_release(&rep);
	CHECK_INT(import("pingcheng_hr",
	                 write_file("again.csv", csv, strlen(csv)), 0, &rep,
	                 NULL),
	          CORE_EINVAL);
	CHECK(has_error(&rep, 2, "D", "already"));
	CHECK_INT(count("SELECT count(*) FROM nominee"), 1);
	core_import_report_release(&rep);
}

static void
test_import__other_county_refused(void)
{
	struct core_import_report rep;
	const char csv[] = "姓名,性别,出生日期,工作单位,专业技术职务,职称级别\n"
	                   "李明,男,1975-03-02,140214-e001,教授,正高级\n"
	                   "王五,男,1975-03-02,140213-e001,教授,正高级\n";

	make_dir();
	/* the 云冈 clerk may not nominate for a 平城 unit */
	CHECK_INT(import("yg_clerk", write_file("x.csv", csv, sizeof(csv) - 1),
	                 0, &rep, NULL),
	          CORE_EPERM);
	dump_errors(&rep);
	CHECK(has_error(&rep, 3, "D", "140213-e001"));
	CHECK(!has_error(&rep, 2, "D", NULL));
	CHECK_INT(count("SELECT count(*) FROM nominee"), 0);
	core_import_report_release(&rep);
	/* nor may the 平城 county HR nominate for 云冈 */
	CHECK_INT(import("pingcheng_hr",
	                 write_file("y.csv", csv, sizeof(csv) - 1), 0, &rep,
	                 NULL),
	          CORE_EPERM);
	CHECK(has_error(&rep, 2, "D", NULL));
	core_import_report_release(&rep);
	/* an auditor may not import at all */
	CHECK_INT(import("auditor", write_file("z.csv", csv, sizeof(csv) - 1),
	                 0, &rep, NULL),
	          CORE_EPERM);
	core_import_report_release(&rep);
	/* city HR may, for both */
	CHECK_INT(import("city_hr", write_file("w.csv", csv, sizeof(csv) - 1),
	                 0, &rep, NULL),
	          0);
	CHECK_INT(count("SELECT count(*) FROM nominee"), 2);
	core_import_report_release(&rep);
}

static void
test_import__dry_run_writes_nothing(void)
{
	struct core_import_report rep;
	const char csv[] = "姓名,性别,出生日期,工作单位,专业技术职务,职称级别\n"
	                   "李明,男,1975-03-02,140213-e001,教授,正高级\n";
	long long entries;

	make_dir();
	entries = count("SELECT count(*) FROM log_entry");
	CHECK_INT(import("pc_clerk",
	                 write_file("dry.csv", csv, sizeof(csv) - 1), 1, &rep,
	                 NULL),
	          0);
	CHECK_INT(rep.n_rows, 1);
	CHECK_INT(rep.n_imported, 0);
	CHECK_INT(count("SELECT count(*) FROM nominee"), 0);
	CHECK_INT(count("SELECT count(*) FROM log_entry"), entries);
	core_import_report_release(&rep);
}

static void
test_import__refuses_what_is_not_a_list(void)
{
	static const struct {
		const char *name, *data;
		size_t len;
		const char *text;
	} bad[] = {
	    {"e.csv", "", 0, NULL},
	    {"page.xls", "<html><table><tr><td>姓名</td></tr></table>", 0,
	     "web page"},
	    {"u16.csv", "\xFF\xFE\x59\x00", 4, "UTF-16"},
	    /* found by fuzz_csv: a GB18030 page (use after free) */
	    {"gbpage.csv", "\n<html>\xd5\xc5</html>", 0, "web page"},
	    {"bin.csv", "\x80\x81\xFF\xFE\xFD", 0, "GB18030"},
	    {"q.csv", "姓名,性别\n\"李明,男\n", 0, "quote"},
	    {"h.csv", "姓名,性别,出生日期,工作单位,专业技术职务,职称级别\n", 0,
	     "no rows"},
	    {"z.xlsx", "PK\x03\x04garbage", 0, "xlsx"},
	    {"o.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 garbage", 0, ".xls"},
	};
	struct core_import_report rep;

	make_dir();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].data);
		int r = import("pc_clerk",
		               write_file(bad[i].name, bad[i].data, len), 0,
		               &rep, NULL);

		if (r != CORE_EINVAL || rep.n_errors != 1 ||
		    rep.errors[0].line < 1 ||
		    (bad[i].text &&
		     !strstr(rep.errors[0].message, bad[i].text))) {
			test_fail(__FILE__, __LINE__, "%s: r=%d", bad[i].name,
			          r);
			dump_errors(&rep);
		}
		core_import_report_release(&rep);
	}
}

static void
test_import__masked_id_refused(void)
{
	struct core_import_report rep;
	const char csv[] =
	    "姓名,性别,出生日期,身份证号,工作单位,专业技术职务,职称级别\n"
	    "李明,男,1975-03-02,1402**********123X,140213-e001,教授,"
	    "正高级\n";

	make_dir();
	CHECK_INT(import("pc_clerk", write_file("m.csv", csv, sizeof(csv) - 1),
	                 0, &rep, NULL),
	          CORE_EINVAL);
	CHECK(has_error(&rep, 2, "D", "masked"));
	core_import_report_release(&rep);
}

static void
test_import__xlsx(void)
{
	struct core_import_report rep;
	struct core_dossier *d = calloc(1, sizeof(*d));
	char path[600];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *datef;
	lxw_datetime born = {1979, 11, 30, 0, 0, 0};
	lxw_workbook_options opt = {0};
	static const char *const head[] = {
	    "专业技术职务", "姓名",     "性别",     "出生日期", "工作单位",
	    "职称级别",     "符合条件", "联系电话", "身份证号", "聘任时间"};

	make_dir();
	snprintf(path, sizeof(path), "%s/n.xlsx", test_tmpdir());
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, "名单");
	datef = workbook_add_format(wb);
	format_set_num_format(datef, "yyyy-mm-dd");
	for (int j = 0; j < 10; j++)
		worksheet_write_string(ws, 0, (lxw_col_t)j, head[j], NULL);
	worksheet_write_string(ws, 1, 0, "正高级工程师", NULL);
	worksheet_write_string(ws, 1, 1, "孙磊", NULL);
	worksheet_write_string(ws, 1, 2, "男", NULL);
	worksheet_write_datetime(ws, 1, 3, &born, datef); /* a serial */
	worksheet_write_string(ws, 1, 4, "云冈区新能源科技有限公司（演示）",
	                       NULL);
	worksheet_write_string(ws, 1, 5, "正高级", NULL);
	worksheet_write_number(ws, 1, 6, 4, NULL);
	worksheet_write_number(ws, 1, 7, 13912345678.0, NULL);
	worksheet_write_string(ws, 1, 8, idn("19791130", "567"), NULL);
	worksheet_write_string(ws, 1, 9, "2016年3月1日", NULL);
	/* row 4 (row 3 left empty): an ID number typed as a number */
	worksheet_write_string(ws, 3, 0, "教授", NULL);
	worksheet_write_string(ws, 3, 1, "钱八", NULL);
	worksheet_write_string(ws, 3, 2, "女", NULL);
	worksheet_write_number(ws, 3, 3, 1975.1, NULL);
	worksheet_write_string(ws, 3, 4, "140214-e001", NULL);
	worksheet_write_string(ws, 3, 5, "副高级", NULL);
	worksheet_write_number(ws, 3, 8, 140214197501011234.0, NULL);
	CHECK_INT(workbook_close(wb), LXW_NO_ERROR);

	CHECK_INT(import("yg_clerk", path, 0, &rep, NULL), CORE_EINVAL);
	dump_errors(&rep);
	CHECK_STR(rep.format, "xlsx");
	CHECK(has_error(&rep, 4, "D", "number"));
	CHECK(has_error(&rep, 4, "I", "15 digits"));
	CHECK_INT(rep.n_errors, 2);
	core_import_report_release(&rep);

	/* without the bad row; constant-memory mode writes inline strings
	 * (<is><t>), the shape other producers use */
	opt.constant_memory = LXW_TRUE;
	wb = workbook_new_opt(path, &opt);
	ws = workbook_add_worksheet(wb, "名单");
	datef = workbook_add_format(wb);
	format_set_num_format(datef, "yyyy-mm-dd");
	for (int j = 0; j < 10; j++)
		worksheet_write_string(ws, 0, (lxw_col_t)j, head[j], NULL);
	worksheet_write_string(ws, 1, 0, "正高级工程师", NULL);
	worksheet_write_string(ws, 1, 1, "孙磊", NULL);
	worksheet_write_string(ws, 1, 2, "男", NULL);
	worksheet_write_datetime(ws, 1, 3, &born, datef);
	worksheet_write_string(ws, 1, 4, "云冈区新能源科技有限公司（演示）",
	                       NULL);
	worksheet_write_string(ws, 1, 5, "正高级", NULL);
	worksheet_write_number(ws, 1, 6, 4, NULL);
	worksheet_write_number(ws, 1, 7, 13912345678.0, NULL);
	worksheet_write_string(ws, 1, 8, idn("19791130", "567"), NULL);
	worksheet_write_string(ws, 1, 9, "2016年3月1日", NULL);
	CHECK_INT(workbook_close(wb), LXW_NO_ERROR);
	CHECK_INT(import("yg_clerk", path, 0, &rep, NULL), 0);
	dump_errors(&rep);
	CHECK_INT(rep.n_imported, 1);
	get("yg_clerk", rep.first_id, d);
	CHECK_STR(d->n.birth_date, "1979-11-30");
	CHECK_STR(d->n.title, "正高级工程师");
	CHECK_STR(d->n.unit, "140214-e001");
	CHECK_STR(d->phone, "13912345678");
	CHECK_STR(d->title_date, "2016-03-01");
	CHECK(d->has_condition[4]);
	core_import_report_release(&rep);
	free(d);
}

static void
test_import__xls_fixture(void)
{
	struct core_import_report rep;
	struct core_dossier *d = calloc(1, sizeof(*d));
	const char *path = "tests/fixtures/nominees.xls";
	FILE *f = fopen(path, "rb");

	make_dir();
	if (!f) {
		test_fail(__FILE__, __LINE__,
		          "%s not found: run the tests from the source tree",
		          path);
		free(d);
		return;
	}
	fclose(f);
	CHECK_INT(import("pingcheng_hr", path, 0, &rep, NULL), 0);
	dump_errors(&rep);
	CHECK_STR(rep.format, "xls");
	CHECK_INT(rep.n_imported, 2);
	get("pingcheng_hr", rep.first_id, d);
	CHECK_STR(d->n.name, "王芳");
	CHECK_STR(d->n.birth_date, "1976-05-17"); /* an Excel date cell */
	CHECK_STR(d->title_date, "2015-12-01");
	CHECK_STR(d->phone, "13912345678"); /* a number cell */
	CHECK(d->has_condition[4]);
	get("pingcheng_hr", rep.last_id, d);
	CHECK_STR(d->n.name, "赵强");
	CHECK_STR(d->n.gender, "男");
	CHECK_STR(d->n.birth_date, "1980-07");
	CHECK_STR(d->birth_precision, "month");
	CHECK_STR(d->n.unit, "140213-e002");
	CHECK_STR(d->title_level, "副高级");
	CHECK_STR(d->title_date, "2018-09-01");
	CHECK(d->has_condition[1] && d->has_condition[6]);
	core_import_report_release(&rep);
	free(d);
}

/* The entry of each imported nominee records version 1 and the digest
 * of its full dossier (the same the dossier reads back). */
static int
hist_cb(void *ctx, const struct core_history_item *h)
{
	struct core_history_item *out = ctx;

	*out = *h;
	return 0;
}

static void
test_import__each_nominee_audited(void)
{
	struct core_import_report rep;
	struct core_dossier *d = calloc(1, sizeof(*d));
	struct core_history_item *h = calloc(1, sizeof(*h));
	char csv[1024], hex[17];
	struct core *c;

	make_dir();
	snprintf(csv, sizeof(csv),
	         "姓名,性别,出生日期,身份证号,工作单位,专业技术职务,职称级别,"
	         "符合条件\n"
	         "李明,男,1975-03-02,%s,140213-e001,教授,正高级,3\n",
	         idn("19750302", "123"));
	CHECK_INT(import("pc_clerk", write_file("a.csv", csv, strlen(csv)), 0,
	                 &rep, NULL),
	          0);
	c = as("pc_clerk");
	CHECK_INT(core_nominee_get(c, rep.first_id, d), 0);
	CHECK_INT(core_nominee_history(c, rep.first_id, hist_cb, h), 0);
	core_close(c);
	CHECK_INT(h->act, 1); /* nominee created */
	CHECK_INT(h->version, 1);
	for (int i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", d->digest[i]);
	CHECK_STR(h->digest_hex, hex);
	CHECK(strstr(h->reason, "line 2") != NULL);
	core_import_report_release(&rep);
	free(h);
	free(d);
}

static const struct test_case tests_import[] = {
    {"import__csv_with_bom", test_import__csv_with_bom},
    {"import__csv_without_bom_english_headers_any_order",
     test_import__csv_without_bom_english_headers_any_order},
    {"import__every_date_form", test_import__every_date_form},
    {"import__gb18030", test_import__gb18030},
    {"import__bad_rows_import_nothing", test_import__bad_rows_import_nothing},
    {"import__line_numbers", test_import__line_numbers},
    {"import__headers_checked", test_import__headers_checked},
    {"import__duplicates_refused", test_import__duplicates_refused},
    {"import__other_county_refused", test_import__other_county_refused},
    {"import__dry_run_writes_nothing", test_import__dry_run_writes_nothing},
    {"import__refuses_what_is_not_a_list",
     test_import__refuses_what_is_not_a_list},
    {"import__masked_id_refused", test_import__masked_id_refused},
    {"import__xlsx", test_import__xlsx},
    {"import__xls_fixture", test_import__xls_fixture},
    {"import__each_nominee_audited", test_import__each_nominee_audited},
    {NULL, NULL},
};
TEST_REGISTER(tests_import)
