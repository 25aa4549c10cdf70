from helix.cli import main

main()
