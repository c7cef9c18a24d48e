from speechcompress.cli import run

run()
