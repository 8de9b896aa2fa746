"""Server-side SVG charts for the dashboard (no JavaScript library): the on-time rate by month."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT, PAD_L, PAD_R, PAD_T, PAD_B = 640, 220, 40, 10, 14, 34


def on_time_trend_svg(rows: list[dict], title: str | None = None) -> SafeString:
    """Bars of on_time_rate (0–100 %) per row (label in `name`); months without dossiers are left blank."""
    title = str(title or _("Tỷ lệ đúng hạn theo tháng"))
    n = max(len(rows), 1)
    plot_w, plot_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    slot = plot_w / n
    bar_w = max(min(slot * 0.7, 48), 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for pct in (0, 50, 100):
        y = PAD_T + plot_h * (1 - pct / 100)
        parts.append(
            f'<line x1="{PAD_L}" y1="{y:.1f}" x2="{WIDTH - PAD_R}" y2="{y:.1f}" stroke="#d8dee6"/>'
            f'<text x="{PAD_L - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{pct}%</text>'
        )
    label_every = max(1, n // 12 + (n % 12 > 0)) if n > 12 else 1
    for i, row in enumerate(rows):
        x = PAD_L + slot * i + (slot - bar_w) / 2
        rate = row.get("on_time_rate")
        if rate is not None:
            h = plot_h * rate / 100
            colour = "#1b7f3b" if rate >= 95 else ("#b26a00" if rate >= 80 else "#b3261e")
            parts.append(
                f'<rect x="{x:.1f}" y="{PAD_T + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(row.get("name", ""))}: {rate:.2f}%</title></rect>'
            )
            if n <= 12:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{PAD_T + plot_h - h - 3:.1f}" '
                    f'text-anchor="middle" font-size="10">{rate:.1f}</text>'
                )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - PAD_B + 16}" text-anchor="middle" '
                f'font-size="11">{escape(row.get("name", ""))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above
