return await Reach.Cli.ReachCommand.RunAsync(args);
