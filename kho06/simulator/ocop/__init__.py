"""The OCOP feed: the province's list of One Commune One Product (OCOP) products, as one Excel workbook.

Provinces publish their OCOP products as a spreadsheet: one row per recognised product with its producer
(chủ thể), address, product group, star rating, score and the provincial decision that recognised it. This
package writes that list for Hải Dương as it stands on `cfg.end`, to `ocop/danh_sach_san_pham_ocop.xlsx`
(contract: docs/contracts/ocop.md).

The clean list (`products`) is whole at every scale and depends only on the seed: 351 products first
recognised in 2019–2023 (234 by the end of 2022, 117 in 2023), 231 three-star, 118 four-star and 2 four-star
products with five-star potential, in the published group split (`targets`). `kinds` gives each product its
group, stars, year, district and kind; `producers` its commune, producer and name; `rounds` the decisions that
recognised it. A certificate is taken to be valid for 36 months (unverified); products first recognised in
2019–2020 were re-recognised by a later decision before their certificate ran out, so a clean row is never
expired on `cfg.end`. A run that ends before 2023-12-31 lists the same products, restricted to those recognised
by `cfg.end`.

`defects` then injects the defect classes from `defects...` streams (`defect_edits` holds how each changes the
list): six alter a row in place (it keeps its Mã sản phẩm), two add rows with keys of their own (a duplicate
listing, an expired product still listed). Added rows follow the clean rows, so every clean row keeps its
position and bytes at every defect rate. `workbook` writes the file.
"""

from kho06.simulator.ocop.workbook import simulate

__all__ = ["simulate"]
