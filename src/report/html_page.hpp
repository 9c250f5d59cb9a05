// The frame of every HTML report: one self-contained page (no script, no font, no image, no
// request to anywhere), its CSS in one place, laid out for a 1280 px screen without sideways
// scrolling and for print (charts and table rows kept whole). Plus a plain table of text cells.
#pragma once

#include <string>
#include <vector>

namespace svcsim {

// <!DOCTYPE html> with lang, <title>`title`</title>, the CSS, and `body` (markup) inside <main>.
std::string html_document(const std::string& title, const std::string& body);

// A <table> of text cells, each escaped: `head` over the rows; each row's first cell is its
// heading (<th>), the others data (<td>, right-aligned unless `css_class` says otherwise).
std::string html_table(const std::vector<std::string>& head,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::string& css_class = "");

}  // namespace svcsim
