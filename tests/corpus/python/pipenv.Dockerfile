FROM python:3.10
ENV PIPENV_VENV_IN_PROJECT=1
RUN pip install pipenv
WORKDIR /usr/src/app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --deploy --ignore-pipfile
COPY . .
CMD ["pipenv", "run", "python", "manage.py", "runserver", "0.0.0.0:8000"]
