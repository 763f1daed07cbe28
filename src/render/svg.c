/*
 * svg.c — the horizontal bar chart of the HTML report (see svg.h): rows of
 * bars against a scale from lo to 100 %, a legend, an optional target mark
 * per row. Sizes are fixed in pixels, so the same figures always give the
 * same markup.
 */
#include "render/svg.h"
#include "lib/csv.h"
#include "render/html.h"

void svg_put_bars(struct buf *b, const char *title, const json_t *items, const char *label,
		  const char *const *keys, const char *const *names, const char *target,
		  double lo)
{
	static const char *const colors[] = { "#2b6cb0", "#38a169", "#d69e2e" };
	size_t n = json_array_size(items), nk = 0, i;
	int row_h = 22, left = 180, width = 420;
	json_t *it;

	while (keys[nk])
		nk++;
	int h = 40 + (int)(n ? n : 1) * (row_h * (int)nk + 10) + 24;
	buf_printf(b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\"><title>",
		   left + width + 90, h, left + width + 90, h);
	html_put_text(b, title);
	buf_printf(b, "</title><text x=\"0\" y=\"16\" class=\"t\">");
	html_put_text(b, title);
	buf_puts(b, "</text>");
	for (size_t k = 0; k < nk; k++)
		buf_printf(b,
			   "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			   "<text x=\"%d\" y=\"%d\" class=\"l\">%s</text>",
			   left + (int)k * 140, 24, colors[k % 3], left + (int)k * 140 + 14, 33,
			   names[k]);
	if (!n)
		buf_printf(b, "<text x=\"0\" y=\"60\" class=\"l\">no data</text>");
	json_array_foreach(items, i, it)
	{
		int y0 = 44 + (int)i * (row_h * (int)nk + 10), has;

		buf_printf(b, "<text x=\"0\" y=\"%d\" class=\"l\">", y0 + 15);
		html_put_text(b, json_string_value(json_object_get(it, label)));
		buf_puts(b, "</text>");
		for (size_t k = 0; k < nk; k++) {
			double v = html_json_num(it, keys[k], &has);
			double f = has ? (v - lo) / (100 - lo) : 0;
			int y = y0 + (int)k * row_h;

			if (f < 0)
				f = 0;
			if (f > 1)
				f = 1;
			buf_printf(b,
				   "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#edf2f7\"/>"
				   "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
				   "<text x=\"%d\" y=\"%d\" class=\"l\">",
				   left, y, width, row_h - 4, left, y, f * width, row_h - 4,
				   colors[k % 3], left + width + 6, y + 14);
			if (has) {
				csv_put_decimal(b, v, 4);
				buf_putc(b, '%');
			} else
				buf_puts(b, "n/a");
			buf_puts(b, "</text>");
		}
		if (target) {
			double t = html_json_num(it, target, &has);

			if (has && t >= lo) {
				double x = left + (t - lo) / (100 - lo) * width;

				buf_printf(b,
					   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
					   "stroke=\"#c53030\" stroke-width=\"2\"><title>target ",
					   x, x, y0 - 2, y0 + row_h * (int)nk);
				csv_put_decimal(b, t, 4);
				buf_puts(b, "%</title></line>");
			}
		}
	}
	buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"l\">scale %.0f%% – 100%%%s</text></svg>\n",
		   left, h - 6, lo, target ? "; red line: target" : "");
}
