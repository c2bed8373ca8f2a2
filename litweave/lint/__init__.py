"""What `litweave check` looks for, as pure functions: the rules and their severities, the content
rules (front matter, titles, DOIs, mechanisms, wikilinks), and the scanners that read links and
ids out of built HTML, feeds, sitemaps and the search bundle. The I/O (reading content/, serving
and fetching the built site) is `commands.check` and `commands.check_site`.
"""
