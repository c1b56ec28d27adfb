return await Reach.Cli.ReachCommand.Create().Parse(args).InvokeAsync();
