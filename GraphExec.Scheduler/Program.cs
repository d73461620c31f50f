using GraphExec.Scheduler.Extensions;
using GraphExec.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSchedulerServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
