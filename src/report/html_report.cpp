// The HTML report: one self-contained page (inline style and script, no
// network) that draws the 24 x 16 matrix coloured by the worst severity of
// each shard, lists each cell's findings under an anchor, and tabulates the
// rules. Readable without JavaScript (every list is in the page, cells are
// links); the script only adds the click-to-focus, sorting and filtering.
// Everything from the tree or the catalog goes through html_escape.

#include <algorithm>
#include <cstdio>
#include <set>

#include "sotcheck/report/shard_matrix.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::report {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string severity_class(catalog::Severity s) { return "sev-" + lower(catalog::severity_name(s)); }

/// The letter a severity shows besides its colour (colour-blind readers, print).
char severity_letter(catalog::Severity s) { return catalog::severity_name(s)[0]; }


std::string shard_anchor(std::size_t root, std::size_t shard) {
  return "cell-" + util::two_digits(static_cast<int>(root + 1)) + "-" + util::two_digits(static_cast<int>(shard + 1));
}
std::string root_anchor(std::size_t root) { return "cell-" + util::two_digits(static_cast<int>(root + 1)) + "-root"; }
constexpr const char* k_repository_anchor = "cell-repository";

// Colours from the Okabe-Ito palette (distinguishable with the common colour
// vision deficiencies); every cell also carries a letter, and print keeps them.
constexpr const char* k_style = R"CSS(
:root{--crit:#8b0000;--high:#d55e00;--med:#e69f00;--low:#f0e442;--info:#56b4e9;--ok:#e8f3ee;--line:#bbb}
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}
h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.4em 0 .4em}h3{font-size:1em;margin:1em 0 .3em}
dl.run{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:0}dl.run dt{font-weight:600}dl.run dd{margin:0}
code,.path{font-family:ui-monospace,monospace;font-size:.95em;overflow-wrap:anywhere}
table{border-collapse:collapse}
table.matrix th,table.matrix td{border:1px solid var(--line);padding:0;text-align:center;min-width:2.2em;height:1.8em}
table.matrix th{font-weight:600;font-size:.85em;padding:0 .3em;background:#f4f4f4}
table.matrix th[scope=row]{text-align:left;white-space:nowrap}
table.matrix td a,table.matrix td span{display:block;color:inherit;text-decoration:none;font-weight:700;line-height:1.8em}
td.sev-critical{background:var(--crit);color:#fff}td.sev-high{background:var(--high);color:#000}
td.sev-medium{background:var(--med);color:#000}td.sev-low{background:var(--low);color:#000}
td.sev-info{background:var(--info);color:#000}td.clean{background:var(--ok);color:#666}
td.missing{box-shadow:inset 0 0 0 3px #000;outline:2px dashed #fff;outline-offset:-3px;background-image:repeating-linear-gradient(45deg,transparent 0 4px,rgba(0,0,0,.25) 4px 6px)}
td.misnamed{box-shadow:inset 0 0 0 3px #000;outline:2px dotted #fff;outline-offset:-3px}
td.rootlevel,th.rootlevel{border-left:3px double #666}
tr.repository th,tr.repository td{border-top:3px double #666}
.badge{display:inline-block;padding:0 .35em;border-radius:3px;font-weight:700;font-size:.85em;border:1px solid #0003}
.badge.sev-critical{background:var(--crit);color:#fff}.badge.sev-high{background:var(--high)}
.badge.sev-medium{background:var(--med)}.badge.sev-low{background:var(--low)}.badge.sev-info{background:var(--info)}
.legend span{margin-right:1em;white-space:nowrap}
section.cell-findings{border:1px solid var(--line);padding:.2em .8em .6em;margin:.6em 0;content-visibility:auto;contain-intrinsic-size:auto 12em}
td.s-critical{color:var(--crit);font-weight:700}td.s-high{color:#a34100;font-weight:700}
section.cell-findings:target{border:3px solid #000}
table.list td,table.list th,table.rules td,table.rules th{border-bottom:1px solid #ddd;padding:.15em .5em;text-align:left;vertical-align:top}
table.rules th{cursor:pointer;user-select:none;background:#f4f4f4}
.filters{margin:.4em 0}.filters>*{margin-right:.6em}
.js-only{display:none}html.js .js-only{display:block}
html.js.focus section.cell-findings:not(:target){display:none}
.note{color:#555}
@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}.js-only{display:none!important}
html.js.focus section.cell-findings:not(:target){display:block}section.cell-findings{break-inside:avoid}}
)CSS";

// Sorting and filtering of the rule table; a click on a cell shows only that
// cell's findings (the anchor alone already scrolls there without script).
constexpr const char* k_script = R"JS(
(function(){
var d=document,h=d.documentElement;h.classList.add('js');
if(location.hash)h.classList.add('focus');
d.addEventListener('click',function(e){var a=e.target.closest('table.matrix a[href^="#cell-"]');if(a)h.classList.add('focus');});
var all=d.getElementById('show-all');if(all)all.addEventListener('click',function(){h.classList.remove('focus');});
var t=d.getElementById('rules');if(!t)return;var body=t.tBodies[0];
var rank={CRITICAL:0,HIGH:1,MEDIUM:2,LOW:3,INFO:4};
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){
var up=th.getAttribute('aria-sort')!=='ascending';
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(o){o.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',up?'ascending':'descending');
var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent,r;
if(th.dataset.kind==='num')r=Number(x)-Number(y);else if(th.dataset.kind==='sev')r=rank[x]-rank[y];else r=x.localeCompare(y);
return up?r:-r;});rows.forEach(function(r){body.appendChild(r);});});});
var q=d.getElementById('f-text'),s=d.getElementById('f-sev'),f=d.getElementById('f-family'),st=d.getElementById('f-status');
function apply(){var text=q.value.toLowerCase();Array.prototype.forEach.call(body.rows,function(r){
var ok=(!text||r.textContent.toLowerCase().indexOf(text)>=0)&&(!s.value||r.dataset.severity===s.value)&&
(!f.value||r.dataset.family===f.value)&&(!st.value||r.dataset.status===st.value);r.hidden=!ok;});}
[q,s,f,st].forEach(function(e){e.addEventListener('input',apply);e.addEventListener('change',apply);});
})();
)JS";

/// A nonce for the one inline script, so the page's Content-Security-Policy
/// can refuse any other script even if escaping ever failed. Derived from the
/// run, so it differs between runs yet the report stays a function of its input.
std::string script_nonce(const RunInfo& info, std::size_t verdicts) {
  std::uint64_t hash = 14695981039346656037ull;
  const std::string seed = info.timestamp + '\0' + info.repo_root + '\0' + std::to_string(verdicts);
  for (unsigned char c : seed) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

struct Page {
  const catalog::Catalog& catalog;
  const std::vector<exec::Verdict>& verdicts;
  const RunInfo& info;
  const ShardMatrix& matrix;
  std::string out;

  void header() {
    const Tally t = tally(verdicts, info);
    out += "<header><h1>sotcheck report</h1><dl class=\"run\">";
    const auto row = [&](std::string_view term, const std::string& value) {
      out += "<dt>" + std::string(term) + "</dt><dd>" + value + "</dd>";
    };
    row("Tree", "<code>" + html_escape(info.repo_root) + "</code>");
    row("Profile", html_escape(catalog::profile_name(info.profile)));
    row("Catalog", html_escape(info.catalog_origin.empty() ? catalog.origin : info.catalog_origin) + " (" +
                       counted(catalog.rules.size(), "rule", "rules") + ")");
    std::string totals = counted(t.rules, "rule", "rules") + ": " + std::to_string(t.passed) + " passed, " +
                         std::to_string(t.failed) + " failed, " + counted(t.errors, "error", "errors") + ", " +
                         std::to_string(t.skipped) + " skipped; " + counted(t.findings, "finding", "findings");
    if (t.suppressed + t.baselined > 0)
      totals += "; " + std::to_string(t.suppressed) + " suppressed, " + std::to_string(t.baselined) + " baselined";
    row("Totals", html_escape(totals));
    row("Exit status", info.exit_code >= 0 ? std::to_string(info.exit_code) : "not decided");
    row("Date", html_escape(info.timestamp));
    if (!info.config_file.empty()) row("Config", "<code>" + html_escape(info.config_file) + "</code>");
    out += "</dl><p><strong>" + html_escape(verdict_line(verdicts, info)) + "</strong></p></header>\n";
  }

  void legend() {
    out += "<p class=\"legend\">";
    for (catalog::Severity s : catalog::k_all_severities)
      out += "<span><span class=\"badge " + severity_class(s) + "\">" + severity_letter(s) + "</span> " +
             std::string(catalog::severity_name(s)) + "</span>";
    out += "<span><span class=\"badge\">&middot;</span> no finding</span>"
           "<span><span class=\"badge\" style=\"outline:2px dashed #000\">&times;</span> folder missing</span>"
           "<span><span class=\"badge\" style=\"outline:2px dotted #000\">?</span> misnamed shard in this root</span>"
           "</p>\n";
  }

  /// One matrix cell: a link to its findings when it has any (or is missing).
  void cell(const MatrixCell& c, const std::string& anchor, const std::string& data, std::string extra_class,
            const std::string& title) {
    std::string cls = c.worst ? severity_class(*c.worst) : std::string("clean");
    if (c.missing) cls += " missing";
    if (!extra_class.empty()) cls += " " + extra_class;
    out += "<td class=\"" + cls + "\" " + data + " data-findings=\"" + std::to_string(c.findings.size()) + "\"";
    if (c.worst) out += " data-severity=\"" + std::string(catalog::severity_name(*c.worst)) + "\"";
    if (c.missing) out += " data-state=\"missing\"";
    out += " title=\"" + html_escape(title) + "\">";
    std::string label;
    if (c.missing) label += "&times;";
    if (c.worst) label += std::string(1, severity_letter(*c.worst)) + std::to_string(c.findings.size());
    if (label.empty()) label = "&middot;";
    if (c.findings.empty() && !c.missing)
      out += "<span>" + label + "</span></td>";
    else
      out += "<a href=\"#" + anchor + "\">" + label + "</a></td>";
  }

  void matrix_table() {
    const MatrixLayout& layout = matrix.layout;
    out += "<h2 id=\"matrix\">Matrix</h2>\n";
    legend();
    out += "<table class=\"matrix\"><thead><tr><th scope=\"col\">root \\ shard</th>";
    for (std::size_t s = 0; s < layout.shards.size(); ++s)
      out += "<th scope=\"col\" title=\"" + html_escape(layout.shards[s]) + "\">" + util::two_digits(static_cast<int>(s + 1)) + "</th>";
    out += "<th scope=\"col\" class=\"rootlevel\" title=\"findings in the root but in no shard\">root</th></tr></thead>"
           "<tbody>\n";
    for (std::size_t r = 0; r < layout.roots.size(); ++r) {
      const std::string& root = layout.roots[r];
      out += "<tr><th scope=\"row\">" + html_escape(root) + "</th>";
      for (std::size_t s = 0; s < layout.shards.size(); ++s) {
        const MatrixCell& c = matrix.at(r, s);
        std::string title = root + "/" + layout.shards[s] + ": " + counted(c.findings.size(), "finding", "findings");
        if (c.missing) title += " (folder missing)";
        cell(c, shard_anchor(r, s), "data-shard=\"" + html_escape(root + "/" + layout.shards[s]) + "\"", "", title);
      }
      const MatrixCell& level = matrix.root_level[r];
      std::string title = root + " (root level): " + counted(level.findings.size(), "finding", "findings");
      if (level.missing) title += " (root missing)";
      for (const auto& name : matrix.misnamed[r]) title += "; misnamed shard " + name;
      cell(level, root_anchor(r), "data-root=\"" + html_escape(root) + "\"",
           matrix.misnamed[r].empty() ? "rootlevel" : "rootlevel misnamed", title);
      out += "</tr>\n";
    }
    out += "<tr class=\"repository\"><th scope=\"row\">repository-wide</th>";
    cell(matrix.repository, k_repository_anchor,
         "colspan=\"" + std::to_string(layout.shards.size() + 1) + "\" data-repository=\"\"", "",
         "outside every root: " + counted(matrix.repository.findings.size(), "finding", "findings"));
    out += "</tr></tbody></table>\n";
    out += "<p class=\"note\">Shards: ";
    for (std::size_t s = 0; s < layout.shards.size(); ++s)
      out += (s ? ", " : "") + util::two_digits(static_cast<int>(s + 1)) + " <code>" + html_escape(layout.shards[s]) + "</code>";
    out += ".</p>\n";
  }

  void finding_rows(const MatrixCell& c) {
    out += "<table class=\"list\"><thead><tr><th>Rule</th><th>Severity</th><th>Location</th><th>Message</th></tr>"
           "</thead><tbody>\n";
    for (const FindingRef& ref : c.findings) {
      const exec::Verdict& v = verdicts[ref.verdict];
      const std::string sev(catalog::severity_name(v.severity));
      // Terse markup (HTML closes <td> and <tr> by itself): ten thousand of these rows must stay a few MB.
      out += "<tr><td><a href=\"#rule-" + html_escape(v.rule_id) + "\">" + html_escape(v.rule_id) + "</a><td class=\"s-" +
             lower(catalog::severity_name(v.severity)) + "\">" + sev;
      if (v.status == exec::Status::error) out += " ERROR";
      if (ref.finding == FindingRef::k_no_finding) {
        out += "<td><td>" + html_escape(v.message) + "\n";
      } else {
        const checks::Finding& f = v.findings[ref.finding];
        out += "<td class=\"path\">" + html_escape(compiler_location(f)) + "<td>" + html_escape(f.message) + "\n";
      }
    }
    out += "</tbody></table>\n";
    // Each rule's explanation once per cell, not once per finding.
    std::vector<std::size_t> rules;
    for (const FindingRef& ref : c.findings)
      if (std::find(rules.begin(), rules.end(), ref.verdict) == rules.end()) rules.push_back(ref.verdict);
    out += "<details><summary>Why these rules matter and how to fix them</summary><dl>";
    for (std::size_t i : rules) {
      const exec::Verdict& v = verdicts[i];
      const catalog::Rule* rule = catalog.find(v.rule_id);
      out += "<dt><a href=\"#rule-" + html_escape(v.rule_id) + "\">" + html_escape(v.rule_id) + "</a> " +
             html_escape(rule ? rule->title : v.message) + "</dt>";
      if (rule && !rule->rationale.empty()) out += "<dd>Why: " + html_escape(rule->rationale) + "</dd>";
      if (rule && !rule->fix.empty()) out += "<dd>Fix: " + html_escape(rule->fix) + "</dd>";
    }
    out += "</dl></details>\n";
  }

  void cell_section(const MatrixCell& c, const std::string& anchor, const std::string& name, const std::string& note) {
    if (c.findings.empty() && !c.missing) return;
    out += "<section class=\"cell-findings\" id=\"" + anchor + "\" data-cell=\"" + html_escape(name) + "\"><h3>" +
           html_escape(name) + ": " + counted(c.findings.size(), "finding", "findings") + "</h3>\n";
    if (c.missing) out += "<p><strong>The folder is missing.</strong></p>\n";
    if (!note.empty()) out += "<p>" + note + "</p>\n";
    if (!c.findings.empty()) finding_rows(c);
    out += "<p><a href=\"#matrix\">back to the matrix</a></p></section>\n";
  }

  void cell_sections() {
    const MatrixLayout& layout = matrix.layout;
    out += "<h2 id=\"findings\">Findings by cell</h2>\n"
           "<p class=\"js-only\"><button type=\"button\" id=\"show-all\">Show every cell</button></p>\n";
    if (matrix.repository.findings.empty() && matrix.cells_with_findings() == 0)
      out += "<p>No finding in any cell.</p>\n";
    cell_section(matrix.repository, k_repository_anchor, "repository-wide", "");
    for (std::size_t r = 0; r < layout.roots.size(); ++r) {
      for (std::size_t s = 0; s < layout.shards.size(); ++s)
        cell_section(matrix.at(r, s), shard_anchor(r, s), layout.roots[r] + "/" + layout.shards[s], "");
      std::string note;
      if (!matrix.misnamed[r].empty()) {
        note = "Folders that are not canonical shard names: ";
        for (std::size_t k = 0; k < matrix.misnamed[r].size(); ++k)
          note += (k ? ", " : "") + std::string("<code>") + html_escape(matrix.misnamed[r][k]) + "</code>";
        note += ".";
      }
      const MatrixCell& level = matrix.root_level[r];
      if (!note.empty() && level.findings.empty() && !level.missing) {
        // Still worth a section: the misnamed folder is the news.
        out += "<section class=\"cell-findings\" id=\"" + root_anchor(r) + "\"><h3>" + html_escape(layout.roots[r]) +
               " (root level)</h3><p>" + note + "</p></section>\n";
        continue;
      }
      cell_section(level, root_anchor(r), layout.roots[r] + " (root level)", note);
    }
  }

  void rule_table() {
    std::set<std::string> families;
    for (const auto& v : verdicts)
      if (const catalog::Rule* rule = catalog.find(v.rule_id)) families.insert(rule->family);
    out += "<h2 id=\"rules-heading\">Rules</h2>\n<div class=\"filters js-only\">"
           "<input id=\"f-text\" type=\"search\" placeholder=\"filter text\" aria-label=\"filter by text\">"
           "<select id=\"f-sev\" aria-label=\"severity\"><option value=\"\">every severity</option>";
    for (catalog::Severity s : catalog::k_all_severities) {
      const std::string name(catalog::severity_name(s));
      out += "<option>" + name + "</option>";
    }
    out += "</select><select id=\"f-family\" aria-label=\"family\"><option value=\"\">every family</option>";
    for (const auto& family : families) out += "<option>" + html_escape(family) + "</option>";
    out += "</select><select id=\"f-status\" aria-label=\"status\"><option value=\"\">every status</option>"
           "<option>FAIL</option><option>ERROR</option><option>PASS</option><option>SKIPPED</option></select>"
           " <span class=\"note\">click a column heading to sort</span></div>\n";
    out += "<table class=\"rules\" id=\"rules\"><thead><tr><th>ID</th><th>Family</th><th>Title</th>"
           "<th data-kind=\"sev\">Severity</th><th>Status</th><th data-kind=\"num\">Findings</th></tr></thead><tbody>\n";
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
      const exec::Verdict& v = verdicts[i];
      const catalog::Rule* rule = catalog.find(v.rule_id);
      const std::string family = rule ? rule->family : "";
      const std::string sev(catalog::severity_name(v.severity));
      const std::string status(exec::status_name(v.status));
      const Disposition& d = info.disposition(i);
      out += "<tr id=\"rule-" + html_escape(v.rule_id) + "\" data-family=\"" + html_escape(family) +
             "\" data-severity=\"" + sev + "\" data-status=\"" + status + "\"><td>" + html_escape(v.rule_id) +
             "</td><td>" + html_escape(family) + "</td><td>" + html_escape(rule ? rule->title : v.message);
      if (!v.passed() && rule && (!rule->rationale.empty() || !rule->fix.empty())) {
        out += "<details><summary>" + html_escape(v.message) + "</summary>";
        if (!rule->rationale.empty()) out += "<p>Why: " + html_escape(rule->rationale) + "</p>";
        if (!rule->fix.empty()) out += "<p>Fix: " + html_escape(rule->fix) + "</p>";
        out += "</details>";
      }
      out += "</td><td><span class=\"badge " + severity_class(v.severity) + "\">" + sev + "</span></td><td>" + status;
      if (!d.suppressed_reason.empty()) out += " (suppressed: " + html_escape(d.suppressed_reason) + ")";
      else if (d.baselined) out += " (baselined)";
      out += "</td><td>" + std::to_string(v.findings.size()) + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
  }
};

}  // namespace

std::string to_html(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts, const RunInfo& info,
                    const ShardMatrix& matrix) {
  Page page{catalog, verdicts, info, matrix, {}};
  const std::string nonce = script_nonce(info, verdicts.size());
  page.out.reserve(4096 + 300 * tally(verdicts, info).findings);
  page.out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
              "script-src 'nonce-" + nonce + "'; img-src data:\">\n"
              "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
              "<title>sotcheck: " + html_escape(info.repo_root) + "</title>\n<style>" + k_style + "</style></head>\n<body>\n";
  page.header();
  page.matrix_table();
  page.cell_sections();
  page.rule_table();
  page.out += "<script nonce=\"" + nonce + "\">" + k_script + "</script>\n</body></html>\n";
  return std::move(page.out);
}

}  // namespace sotcheck::report
