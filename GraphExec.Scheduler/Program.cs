using GraphExec.Scheduler.Extensions;
using GraphExec.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSchedulerServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapScheduler();
app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
