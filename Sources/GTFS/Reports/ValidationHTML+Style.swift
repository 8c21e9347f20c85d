// The inline style sheet and sorting script of the HTML validation report.

extension ValidationHTML {
    /// The page's style: system fonts, a colour-blind-safe palette (Okabe–Ito vermilion,
    /// orange and blue) always paired with a word and a shape, and print rules.
    static let styleSheet = #"""
        :root { --error: #b8420a; --warning: #e69f00; --warning-edge: #8a5f00; --info: #0072b2; --fg: #1b1b1b; --muted: #5a5a5a; --line: #d4d4d4; --alt: #f5f6f7; --link: #0a58a8; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 78rem; padding: 1.5rem 1.5rem 3rem; color: var(--fg); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
        h1 { font-size: 1.8rem; margin: 0 0 .2rem; }
        h2 { font-size: 1.35rem; margin: 2.2rem 0 .8rem; padding-bottom: .2rem; border-bottom: 2px solid var(--line); }
        h3 { font-size: 1.08rem; margin: 1.4rem 0 .4rem; }
        a { color: var(--link); }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .9em; }
        .subtitle { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
        .verdict { margin: .8rem 0 0; padding: .5rem .8rem; border-left: .35rem solid; background: var(--alt); font-weight: 600; }
        .verdict.error { border-color: var(--error); }
        .verdict.ok { border-color: var(--info); }
        .badge { display: inline-block; padding: .05rem .45rem; border: 1px solid; border-radius: .25rem; font-size: .78rem; font-weight: 700; line-height: 1.4; white-space: nowrap; vertical-align: .1em; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
        .badge.error { background: var(--error); border-color: var(--error); color: #fff; }
        .badge.warning { background: var(--warning); border-color: var(--warning-edge); color: #000; }
        .badge.info { background: var(--info); border-color: var(--info); color: #fff; }
        nav .toc { padding-left: 1.2rem; }
        nav .toc-group { margin: .6rem 0 .2rem; }
        nav ul.codes { margin: 0; padding-left: 1.2rem; columns: 3 16rem; column-gap: 2rem; }
        nav ul.codes li { break-inside: avoid; overflow-wrap: anywhere; }
        .totals { display: flex; flex-wrap: wrap; gap: .8rem; margin: 0 0 1rem; padding: 0; list-style: none; }
        .total { min-width: 11rem; padding: .5rem .9rem; border: 1px solid var(--line); border-left: .4rem solid; border-radius: .3rem; }
        .total.error { border-left-color: var(--error); }
        .total.warning { border-left-color: var(--warning); }
        .total.info { border-left-color: var(--info); }
        .total .n { display: block; font-size: 1.7rem; font-weight: 700; line-height: 1.2; margin-top: .2rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.2rem; margin: .4rem 0; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        dl.features { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; margin: .4rem 0; }
        dl.features dt { font-weight: 600; }
        dl.features dd { margin: 0; }
        dl.features ul { display: flex; flex-wrap: wrap; gap: .3rem; margin: 0; padding: 0; list-style: none; }
        dl.features li { padding: 0 .5rem; border: 1px solid var(--line); border-radius: 1rem; background: var(--alt); font-size: .9rem; }
        .wrap, .value, .message { overflow-wrap: anywhere; }
        .note, .more, .rule, .count { color: var(--muted); }
        .count { font-weight: 400; font-size: .95rem; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: .92rem; }
        table.plain { width: auto; min-width: 24rem; }
        caption { text-align: left; color: var(--muted); padding: .2rem 0; }
        th, td { padding: .25rem .55rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        thead th { background: #eceef0; border-bottom: 2px solid #b9bcc0; white-space: nowrap; }
        tbody tr:nth-child(even) { background: var(--alt); }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        td.value { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .86rem; max-width: 18rem; }
        td.message { min-width: 18rem; }
        th button { padding: 0; border: 0; background: none; color: inherit; font: inherit; cursor: pointer; }
        th button::after { content: " \2195"; color: var(--muted); }
        th[aria-sort="ascending"] button::after { content: " \25B2"; }
        th[aria-sort="descending"] button::after { content: " \25BC"; }
        section.notice { margin: 1.2rem 0; padding: .1rem 1rem .6rem; border: 1px solid var(--line); border-left: .4rem solid; border-radius: .3rem; }
        section.notice.error { border-left-color: var(--error); }
        section.notice.warning { border-left-color: var(--warning); }
        section.notice.info { border-left-color: var(--info); }
        section.notice h3 { margin-top: .8rem; overflow-wrap: anywhere; }
        section.notice p { margin: .3rem 0; }
        footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          a { color: inherit; text-decoration: none; }
          nav ul.codes { columns: 2; }
          h2, h3, caption { break-after: avoid; }
          tr, .total { break-inside: avoid; }
          thead { display: table-header-group; }
          .scroll { overflow: visible; }
          .badge, .total, .verdict, thead th, section.notice { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          th button::after { content: none; }
          .rule a::after { content: " <" attr(href) ">"; overflow-wrap: anywhere; }
        }

        """#

    /// Makes the sample tables sortable by a click on a column heading (a button, so the
    /// keyboard works too). Without it the tables keep the order found.
    static let sortScript = """
        document.querySelectorAll("table.sortable").forEach(function (t) {
          t.querySelectorAll("thead th").forEach(function (th, i) {
            var b = document.createElement("button");
            b.type = "button"; b.textContent = th.textContent; th.textContent = ""; th.appendChild(b);
            b.addEventListener("click", function () {
              var up = th.getAttribute("aria-sort") !== "ascending", body = t.tBodies[0];
              t.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
              th.setAttribute("aria-sort", up ? "ascending" : "descending");
              Array.from(body.rows).sort(function (x, y) {
                var d = x.cells[i].textContent.localeCompare(y.cells[i].textContent, undefined, {numeric: true});
                return up ? d : -d;
              }).forEach(function (r) { body.appendChild(r); });
            });
          });
        });
        """

    /// The Content-Security-Policy source of ``sortScript``: `sha256-` and the base64 SHA-256
    /// of its exact text. Change both together (a test checks them with `openssl`):
    /// `printf %s "$script" | openssl dgst -sha256 -binary | base64`.
    static let scriptHash = "sha256-lapI0leSsJTh6E+qy4k9sHabPohqFlu8ZwUOEVvjJ8s="
}
