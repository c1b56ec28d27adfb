using System.CommandLine;
using Reach.Cli.Commands;

var root = new RootCommand("Reach: the go-to-market operating system for B2B startups.");
root.Subcommands.Add(ServeCommand.Create());
//DEMO
root.Subcommands.Add(PlanCommand.Create());
return await root.Parse(args).InvokeAsync();
