using GraphExec.Live.Extensions;
using GraphExec.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLiveServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapLive();
app.Run();
