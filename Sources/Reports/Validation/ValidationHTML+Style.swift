import GTFS
import Charts

// The inline style sheet of the HTML validation report: the report pages' own (Charts' Page),
// plus the badges, totals and notice sections of this page. The sorting script is the pages' one.

extension ValidationHTML {
    /// The page's style: the reports' style sheet (system fonts, tables, print rules) and the
    /// severities in a colour-blind-safe palette (Okabe–Ito vermilion, orange and blue),
    /// always paired with a word and a shape.
    static let styleSheet = Page.styleSheet + #"""
        :root { --error: #b8420a; --warning: #e69f00; --warning-edge: #8a5f00; --info: #0072b2; }
        body { max-width: 78rem; }
        nav .toc { display: block; margin: 0; padding-left: 1.2rem; list-style: disc; }
        .verdict { margin: .8rem 0 0; padding: .5rem .8rem; border-left: .35rem solid; background: var(--alt); font-weight: 600; }
        .verdict.error { border-color: var(--error); }
        .verdict.ok { border-color: var(--info); }
        .badge { display: inline-block; padding: .05rem .45rem; border: 1px solid; border-radius: .25rem; font-size: .78rem; font-weight: 700; line-height: 1.4; white-space: nowrap; vertical-align: .1em; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
        .badge.error { background: var(--error); border-color: var(--error); color: #fff; }
        .badge.warning { background: var(--warning); border-color: var(--warning-edge); color: #000; }
        .badge.info { background: var(--info); border-color: var(--info); color: #fff; }
        nav .toc-group { margin: .6rem 0 .2rem; }
        nav ul.codes { margin: 0; padding-left: 1.2rem; columns: 3 16rem; column-gap: 2rem; }
        nav ul.codes li { break-inside: avoid; overflow-wrap: anywhere; }
        .totals { display: flex; flex-wrap: wrap; gap: .8rem; margin: 0 0 1rem; padding: 0; list-style: none; }
        .total { min-width: 11rem; padding: .5rem .9rem; border: 1px solid var(--line); border-left: .4rem solid; border-radius: .3rem; }
        .total.error { border-left-color: var(--error); }
        .total.warning { border-left-color: var(--warning); }
        .total.info { border-left-color: var(--info); }
        .total .n { display: block; font-size: 1.7rem; font-weight: 700; line-height: 1.2; margin-top: .2rem; }
        dl.features { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; margin: .4rem 0; }
        dl.features dt { font-weight: 600; }
        dl.features dd { margin: 0; }
        dl.features ul { display: flex; flex-wrap: wrap; gap: .3rem; margin: 0; padding: 0; list-style: none; }
        dl.features li { padding: 0 .5rem; border: 1px solid var(--line); border-radius: 1rem; background: var(--alt); font-size: .9rem; }
        .wrap, .value, .message { overflow-wrap: anywhere; }
        .more, .rule, .count { color: var(--muted); }
        .count { font-weight: 400; font-size: .95rem; }
        table.plain { width: auto; min-width: 24rem; }
        td.value { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .86rem; max-width: 18rem; }
        td.message { min-width: 18rem; }
        section.notice { margin: 1.2rem 0; padding: .1rem 1rem .6rem; border: 1px solid var(--line); border-left: .4rem solid; border-radius: .3rem; }
        section.notice.error { border-left-color: var(--error); }
        section.notice.warning { border-left-color: var(--warning); }
        section.notice.info { border-left-color: var(--info); }
        section.notice h3 { margin-top: .8rem; overflow-wrap: anywhere; }
        section.notice p { margin: .3rem 0; }
        @media print {
          nav ul.codes { columns: 2; }
          .total { break-inside: avoid; }
          .rule a::after { content: " <" attr(href) ">"; overflow-wrap: anywhere; }
        }

        """#
}
