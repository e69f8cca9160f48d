# escape=`
# syntax=docker/dockerfile:1

FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022 AS build
WORKDIR C:\src
COPY *.csproj .
RUN dotnet restore
COPY . .
RUN dotnet publish -c Release -o C:\app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
WORKDIR C:\app
COPY --from=build C:\app .
USER ContainerUser
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "Web.dll"]
