from slimline.cli.main import main

main()
