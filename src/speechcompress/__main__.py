from speechcompress.cli import main

main()
