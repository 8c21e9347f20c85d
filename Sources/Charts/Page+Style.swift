// The style sheet of every report page.

extension Page {
    /// The pages' style: system fonts, the Okabe–Ito colours of ``Palette``, tables with
    /// right-aligned numbers, figures that scale to the page, the CSS-only period switcher,
    /// and print rules (every switcher panel printed, colours kept).
    public static let styleSheet = #"""
        :root { --fg: #1b1b1b; --muted: #5a5a5a; --line: #d4d4d4; --alt: #f5f6f7; --link: #0a58a8; --better: #542788; --worse: #b35806; --accent: #0072b2; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 80rem; padding: 1.5rem 1.5rem 3rem; color: var(--fg); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
        h1 { font-size: 1.8rem; margin: 0 0 .2rem; }
        h2 { font-size: 1.35rem; margin: 2.2rem 0 .8rem; padding-bottom: .2rem; border-bottom: 2px solid var(--line); }
        h3 { font-size: 1.08rem; margin: 1.4rem 0 .4rem; }
        a { color: var(--link); }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .9em; }
        .subtitle { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
        nav .toc { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; padding: 0; margin: 1rem 0 0; list-style: none; }
        .cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: 0 0 1rem; padding: 0; list-style: none; }
        .cards li { min-width: 12rem; padding: .5rem .9rem; border: 1px solid var(--line); border-left: .4rem solid var(--accent); border-radius: .3rem; }
        .cards .label { display: block; color: var(--muted); font-size: .9rem; }
        .cards .value { display: block; font-size: 1.45rem; font-weight: 700; line-height: 1.25; font-variant-numeric: tabular-nums; }
        .cards .note { display: block; color: var(--muted); font-size: .85rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.2rem; margin: .4rem 0; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        figure { margin: 1rem 0 1.6rem; }
        figure svg { max-width: 100%; height: auto; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
        figcaption { color: var(--muted); font-size: .9rem; margin-top: .2rem; }
        .figures { display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
        .figures figure { flex: 1 1 34rem; min-width: 0; }
        .note, .muted { color: var(--muted); }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: .9rem; }
        caption { text-align: left; color: var(--muted); padding: .2rem 0; }
        th, td { padding: .22rem .5rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        thead th { background: #eceef0; border-bottom: 2px solid #b9bcc0; white-space: nowrap; }
        tbody tr:nth-child(even) { background: var(--alt); }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.better { color: var(--better); font-weight: 600; }
        td.worse { color: var(--worse); font-weight: 600; }
        th button { padding: 0; border: 0; background: none; color: inherit; font: inherit; cursor: pointer; }
        th button::after { content: " \2195"; color: var(--muted); }
        th[aria-sort="ascending"] button::after { content: " \25B2"; }
        th[aria-sort="descending"] button::after { content: " \25BC"; }
        .switcher > input { position: absolute; opacity: 0; width: 1px; height: 1px; }
        .switcher > label { display: inline-block; margin: 0 .3rem .4rem 0; padding: .15rem .7rem; border: 1px solid #9aa0a6; border-radius: 1rem; cursor: pointer; font-size: .9rem; }
        .switcher > input:focus-visible + label { outline: 2px solid var(--accent); outline-offset: 2px; }
        .switcher > .panel { display: none; }
        .switcher .panel-title { display: none; }
        .switcher > .sw0:checked ~ .p0 { display: block; }
        .switcher > .sw0:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw1:checked ~ .p1 { display: block; }
        .switcher > .sw1:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw2:checked ~ .p2 { display: block; }
        .switcher > .sw2:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw3:checked ~ .p3 { display: block; }
        .switcher > .sw3:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw4:checked ~ .p4 { display: block; }
        .switcher > .sw4:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw5:checked ~ .p5 { display: block; }
        .switcher > .sw5:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw6:checked ~ .p6 { display: block; }
        .switcher > .sw6:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw7:checked ~ .p7 { display: block; }
        .switcher > .sw7:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw8:checked ~ .p8 { display: block; }
        .switcher > .sw8:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw9:checked ~ .p9 { display: block; }
        .switcher > .sw9:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw10:checked ~ .p10 { display: block; }
        .switcher > .sw10:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        .switcher > .sw11:checked ~ .p11 { display: block; }
        .switcher > .sw11:checked + label { background: #0072b2; border-color: #0072b2; color: #fff; }
        footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          a { color: inherit; text-decoration: none; }
          h2, h3, caption { break-after: avoid; }
          tr, figure, .cards li { break-inside: avoid; }
          thead { display: table-header-group; }
          .scroll { overflow: visible; }
          .switcher > label, .switcher > input { display: none; }
          .switcher > .panel, .switcher .panel-title { display: block; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          th button::after { content: none; }
        }

        """#
}
