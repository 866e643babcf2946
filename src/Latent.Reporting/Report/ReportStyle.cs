// The report's stylesheet (inline in index.html): system fonts only, a quiet light theme, tabular numbers,
// cards for each result, and a print stylesheet (white, no shadows, no page breaks inside a figure).
namespace Latent.Reporting.Report;

internal static class ReportStyle
{
    public const string Css = """
:root { --ink: #1f2430; --muted: #5b6270; --line: #e3e6eb; --bg: #f5f6f8; --card: #ffffff; --accent: #0072B2; --fake: #D55E00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
.wrap { max-width: 1220px; margin: 0 auto; padding: 0 24px; }
header.top { background: #1f2430; color: #fff; padding: 22px 0 20px; }
header.top .brand { font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: #9fb3c8; }
header.top h1 { margin: 4px 0 2px; font-size: 26px; font-weight: 650; }
header.top .meta { margin: 0; color: #c7ced8; font-size: 13.5px; }
main.wrap { padding-top: 22px; padding-bottom: 40px; }
h2 { font-size: 19px; margin: 30px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15.5px; margin: 0 0 4px; }
h3 .pair { font-weight: 400; color: var(--muted); font-size: 13px; margin-left: 6px; }
.muted { color: var(--muted); font-size: 13.5px; }
.keyfigs { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 14px; margin-top: 6px; }
.kf { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; border-top: 3px solid var(--accent); }
.kf-label { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.kf-value { font-size: 28px; font-weight: 650; font-variant-numeric: tabular-nums; margin: 2px 0; }
.kf-value.small { font-size: 20px; padding: 6px 0 5px; }
.kf-sub { font-size: 13px; color: var(--muted); }
dl.settings { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 8px 14px; margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
dl.settings div { display: flex; gap: 8px; align-items: baseline; min-width: 0; }
dl.settings div.wide { grid-column: 1 / -1; }
dl.settings div.wide dd { font-weight: 450; }
dl.settings dt { color: var(--muted); font-size: 13px; white-space: nowrap; }
dl.settings dd { margin: 0; font-weight: 550; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table.results { border-collapse: collapse; width: 100%; font-size: 14px; }
table.results th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12.5px; padding: 9px 12px; border-bottom: 1px solid var(--line); background: #fafbfc; white-space: nowrap; }
table.results td { padding: 7px 12px; border-bottom: 1px solid #eef0f3; white-space: nowrap; }
table.results tbody tr:nth-child(even) { background: #fbfbfc; }
table.results tbody tr:hover { background: #eef5fb; }
table.results tr.best td { background: #eaf3fa; }
table.results td a { color: inherit; text-decoration: underline; text-decoration-color: #b9c2cf; text-underline-offset: 2px; }
table.results td a:hover { color: var(--accent); text-decoration-color: var(--accent); }
.card:target { outline: 2px solid var(--accent); outline-offset: 2px; }
table.results .n { text-align: right; font-variant-numeric: tabular-nums; }
table.results td.top { font-weight: 700; color: var(--accent); }
.plots { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
figure { margin: 0; }
figure.plot img { display: block; max-width: 100%; height: auto; }
figure.plot { background: #fff; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px 12px; margin-bottom: 14px; }
.figs { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0 0 10px; font-size: 13.5px; color: var(--muted); }
.figs b { color: var(--ink); font-variant-numeric: tabular-nums; }
figure.grid { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin-bottom: 14px; overflow-x: auto; }
figure.grid figcaption { font-size: 13.5px; color: var(--muted); margin-bottom: 8px; }
figure.grid figcaption b { color: var(--ink); margin-right: 4px; }
img.pixels { image-rendering: pixelated; display: block; max-width: none; border-radius: 3px; }
footer { margin-top: 34px; padding-top: 12px; border-top: 1px solid var(--line); font-size: 12.5px; color: var(--muted); }
footer a { color: var(--accent); text-decoration: none; }
footer summary { cursor: pointer; color: var(--ink); }
footer details p { margin: 6px 0 0; }
nav.toc { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; margin: 18px 0; font-size: 13.5px; }
nav.toc h2 { font-size: 14px; margin: 0 0 4px; }
nav.toc ol { margin: 0; padding-left: 20px; columns: 2; }
nav.toc a { color: var(--accent); text-decoration: none; }
details.cards > summary { cursor: pointer; color: var(--accent); margin: 4px 0 12px; font-size: 13.5px; }
p.latent-caption { font-size: 13.5px; color: var(--muted); }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  header.top { background: #fff; color: #000; padding: 0 0 6pt; border-bottom: 1.5pt solid #000; }
  header.top .brand, header.top .meta { color: #444; }
  .wrap { max-width: none; padding: 0; }
  .kf, .card, dl.settings, .table-wrap, figure.grid { border-color: #bbb; box-shadow: none; }
  .card, figure, .kf, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  nav.toc, details.cards > summary { display: none; }
  table.results tbody tr:nth-child(even), table.results tr.best td { background: none; }
  .plots { gap: 8pt; }
  figure.plot { flex: 1 1 45%; max-width: 50%; }
  figure.plot img { width: 100%; height: auto; }
  footer a, table.results td a { color: #000; text-decoration: none; }
  @page { margin: 14mm; }
}
""";
}
