"""What the tests share and are not tests themselves: the site build and mini projects
(site_build), a snippet's fresh run (snippet_runs), the reader's clean environment (reader_env),
submissions to the exercise checks (exercise_submissions), and the browser's loads, checks and
accessibility scans (browser_*, axe_support)."""
