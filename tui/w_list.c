/*
 * w_list: selection and view of a list (see w_list.h).  All the moves go
 * through w_list_show(), so the invariant holds after each.
 */
#include "tui/w_list.h"

void
w_list_show(struct w_list *l, size_t n, int page)
{
	size_t rows = page > 0 ? (size_t)page : 1;

	if (n == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= n) {
		l->sel = n - 1;
	}
	if (l->sel < l->top) {
		l->top = l->sel;
	}
	if (l->sel >= l->top + rows) {
		l->top = l->sel - rows + 1;
	}
}

void
w_list_select(struct w_list *l, size_t n, size_t i, int page)
{
	l->sel = i;
	w_list_show(l, n, page);
}

/* sel + delta within 0 .. n-1; n > 0. */
static size_t
clamp(size_t sel, size_t n, long delta)
{
	long s = (long)sel + delta;

	return s < 0 ? 0 : s >= (long)n ? n - 1 : (size_t)s;
}

int
w_list_move(struct w_list *l, size_t n, long delta, int page)
{
	if (n == 0) {
		w_list_show(l, n, page);
		return 0;
	}
	l->sel = clamp(l->sel, n, delta);
	w_list_show(l, n, page);
	return 1;
}

int
w_list_page(struct w_list *l, size_t n, long delta, int page)
{
	long rows = page > 0 ? page : 1;
	long top = (long)l->top + delta;
	long max_top = (long)n > rows ? (long)n - rows : 0;

	if (n == 0) {
		w_list_show(l, n, page);
		return 0;
	}
	l->sel = clamp(l->sel, n, delta);
	l->top = (size_t)(top > max_top ? max_top : top < 0 ? 0 : top);
	w_list_show(l, n, page);
	return 1;
}

void
w_list_scroll(int *top, long delta, int n, int page)
{
	long t = (long)*top + delta, max = (long)n - page;

	if (t > max) {
		t = max;
	}
	*top = t < 0 ? 0 : (int)t;
}
