FROM python:3.12-slim
<<<<<<< HEAD
RUN pip install --no-cache-dir flask==3.0.0
=======
RUN pip install --no-cache-dir flask==3.0.3
>>>>>>> feature/upgrade-flask
CMD ["flask", "run"]
