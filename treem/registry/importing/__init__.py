"""Excel import of lists of children: template, reading, checking and committing.

`template` writes the downloadable workbook; `reading` judges a file by its content and reads
its first sheet's cells; `parsing` turns a row's cells into values and errors; `checking` holds
rows against the register; `writing` and `bulk` write them. `jobs` holds the services the views
call (`import_job_create`, `import_job_commit`) and the background work (`validate`, `commit`),
which `runner` starts.
"""
