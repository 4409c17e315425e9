"""reports — pages and files a quant reads: tearsheets, summary, index, manifest."""
