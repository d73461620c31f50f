using GraphExec.Api.Extensions;
using GraphExec.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapApi();
app.Run();
