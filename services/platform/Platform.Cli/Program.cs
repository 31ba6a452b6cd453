using System.CommandLine;
using Platform.Cli;

var root = new RootCommand("Platform: real-time demand forecasts and risk alerts from an order stream")
{
    DemoCommand.Create(),
    SimulateCommand.Create(),
    ImportCommand.Create(),
    FeaturesCommand.Create(),
    SeriesCommand.Create(),
    BacktestCommand.Create(),
    TrainCommand.Create(),
    DetectCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
