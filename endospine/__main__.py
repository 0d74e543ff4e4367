from endospine.cli import main

main()
