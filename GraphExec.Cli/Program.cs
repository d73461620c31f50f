using GraphExec.Cli;
using GraphExec.Cli.Infrastructure;

return await CliApp.RunAsync(args, CliConsole.Standard, CliEnvironment.Current);
